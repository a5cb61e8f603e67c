"""Marginal value of more training data: is the next doubling worth what it costs?

Follows *ML Workflow*, §Fallacies and Pitfalls ("Scaling data collection before checking
marginal model value"). The chapter's point is qualitative: past sufficient coverage of the
target distribution, accuracy grows ever more slowly with dataset size, so doubling a dataset
(its example: 500K to 1M examples) can buy less than one percentage point while labelling,
storage and preprocessing costs double. This module turns that into napkin math.

The model
---------
A learning curve in the usual power-law form

    error(n) = irreducible_error + scale * n ** (-exponent)

where ``n`` is the number of training examples. Two consequences make it handy:

* the gain from one doubling, ``scale * n**-exponent * (1 - 2**-exponent)``, does not
  depend on ``irreducible_error``;
* each doubling buys a fixed fraction ``ratio = 2**-exponent`` of the previous doubling's
  gain. So "the last doubling bought 1.2 points, and each doubling buys 70 % of the one
  before" pins the curve down (:meth:`LearningCurve.from_doubling`).

The curve is a planning model, not a law of nature: label noise, class imbalance or a missing
subgroup change its shape (the chapter notes that a small, clean, balanced dataset can beat a
large noisy one), and a real curve should be measured on your own data.

Units: accuracies and gains are dimensionless quantities in ``percent`` (a gain in percent is
a gain in percentage points); money is in ``USD``. Plain numbers are accepted where noted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import InputError
from ..units import (
    Q_,
    Number,
    as_number,
    nonnegative_quantity,
    positive_number,
    require_count,
    require_probability,
)

__all__ = [
    "LearningCurve",
    "PITFALL_CURVE",
    "DataValue",
    "scaling_gain",
    "doubling_gains",
    "labeling_cost",
    "marginal_data_value",
]

# Example counts are positive numbers (whole numbers are not required on a curve), checked
# with units.positive_number; gains are fractions (0.012) or percent quantities, as_number.


@dataclass(frozen=True)
class LearningCurve:
    """``error(n) = irreducible_error + scale * n**(-exponent)``, errors as fractions.

    ``scale`` > 0, ``exponent`` > 0, ``irreducible_error`` in [0, 1).
    """

    scale: float
    exponent: float
    irreducible_error: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "scale", positive_number(self.scale, "scale"))
        object.__setattr__(self, "exponent", positive_number(self.exponent, "exponent"))
        floor = require_probability(self.irreducible_error, "irreducible_error")
        if floor >= 1:
            raise InputError("irreducible_error: must be below 1")
        object.__setattr__(self, "irreducible_error", floor)

    @classmethod
    def from_doubling(
        cls, n_examples: Number, gain: Number, ratio: Number, irreducible_error: Number = 0.0
    ) -> "LearningCurve":
        """The curve on which doubling from ``n_examples`` gains ``gain``, each later
        doubling gaining ``ratio`` times the one before (0 < ratio < 1).

        ``gain`` is a fraction (0.012) or a percent quantity (``Q_(1.2, "percent")``).
        """
        n = positive_number(n_examples, "n_examples")
        g = positive_number(gain, "gain")
        r = as_number(ratio, "ratio")
        if not 0 < r < 1:
            raise InputError(f"ratio: must be between 0 and 1 (diminishing returns), got {r:g}")
        exponent = -math.log2(r)
        scale = g / ((1 - r) * n ** (-exponent))
        return cls(scale=scale, exponent=exponent, irreducible_error=irreducible_error)

    @property
    def doubling_ratio(self) -> float:
        """Each doubling's gain divided by the previous doubling's gain, ``2**-exponent``."""
        return 2.0 ** (-self.exponent)

    def error(self, n_examples: Number):
        """Error rate after training on ``n_examples``, as a ``percent`` quantity."""
        n = positive_number(n_examples, "n_examples")
        return Q_(100 * (self.irreducible_error + self.scale * n ** (-self.exponent)), "percent")

    def accuracy(self, n_examples):
        """Accuracy after training on ``n_examples``, as a ``percent`` quantity (floored at 0)."""
        return Q_(max(0.0, 100.0 - self.error(n_examples).magnitude), "percent")


PITFALL_CURVE = LearningCurve(scale=3.2, exponent=0.35, irreducible_error=0.04)
"""An illustrative curve for the chapter's 500K -> 1M pitfall (not measured data).

Parameters are chosen so that accuracy is in the low 90s around half a million examples and
that the doubling to a million buys under one percentage point, as the chapter says such a
doubling easily can; about 4 % of errors are irreducible (label noise, ungradable images).
"""


def scaling_gain(curve: LearningCurve, n_from: Number, n_to: Number):
    """Accuracy gain, in percentage points (a ``percent`` quantity), from ``n_from`` to ``n_to``."""
    a = positive_number(n_from, "n_from")
    b = positive_number(n_to, "n_to")
    if b < a:
        raise InputError(f"n_to: must not be smaller than n_from ({a:g}), got {b:g}")
    return curve.error(a) - curve.error(b)


def doubling_gains(curve: LearningCurve, n_start: Number, doublings: Number = 6) -> list:
    """Gain of each of ``doublings`` successive doublings starting at ``n_start`` (percent)."""
    n = positive_number(n_start, "n_start")
    k = require_count(doublings, "doublings")
    return [scaling_gain(curve, n * 2**i, n * 2 ** (i + 1)) for i in range(k)]


def labeling_cost(n_new_examples: Number, cost_per_example: Number):
    """What collecting and labelling ``n_new_examples`` costs, in USD.

    ``cost_per_example`` is a plain number read in USD or a currency quantity.
    """
    n = positive_number(n_new_examples, "n_new_examples")
    price = nonnegative_quantity(cost_per_example, "USD", "cost_per_example")
    return (n * price).to("USD")


@dataclass(frozen=True)
class DataValue:
    """The verdict on one scaling step, every figure a quantity."""

    gain: object  # percentage points (percent)
    cost: object  # USD spent on the new examples
    value: object  # USD the gain is worth
    net_value: object  # value - cost, USD (negative: not worth it)
    cost_per_point: object  # USD per percentage point bought

    @property
    def worth_it(self) -> bool:
        """True when the gain is worth more than the new examples cost."""
        return bool(self.net_value.magnitude > 0)


def marginal_data_value(
    curve: LearningCurve,
    n_from: Number,
    n_to: Number,
    cost_per_example: Number,
    value_per_point: Number,
) -> DataValue:
    """Price the step from ``n_from`` to ``n_to`` examples on ``curve``.

    ``cost_per_example`` and ``value_per_point`` (what one percentage point of accuracy is
    worth to the project) are plain numbers in USD or currency quantities. ``cost_per_point``
    is the cost divided by the gain in percentage points, in USD.
    """
    gain = scaling_gain(curve, n_from, n_to)
    new_examples = positive_number(n_to, "n_to") - positive_number(n_from, "n_from")
    if new_examples > 0:
        cost = labeling_cost(new_examples, cost_per_example)
    else:
        cost = Q_(0.0, "USD")
    per_point = nonnegative_quantity(value_per_point, "USD", "value_per_point")
    points = float(gain.to("percent").magnitude)
    value = (points * per_point).to("USD")
    cost_per_point = Q_(math.inf, "USD") if points <= 0 else (cost / points).to("USD")
    return DataValue(
        gain=gain.to("percent"),
        cost=cost,
        value=value,
        net_value=(value - cost).to("USD"),
        cost_per_point=cost_per_point,
    )
