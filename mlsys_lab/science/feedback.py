"""Bias feedback: when a model's outputs shape its next training data, gaps compound.

Conclusion, §Thirteen Quantitative Invariants, principle 13 (bias feedback invariant)::

    Delta_g(k) = Delta_g(0) * alpha**k,   alpha > 1

A disparity Delta against subgroup g grows by the feedback factor alpha every decision
cycle k while the loop runs unchecked. The chapter gives no value for alpha; the course
uses alpha = 1.5 in its worked example (a 1-point gap becomes 5.06 points after four
cycles). The recurrence only holds while alpha stays roughly constant and nobody
intervenes, so in practice alpha has to be measured.

Gaps are plain numbers in whatever unit you choose (percentage points, fractions).
"""

from __future__ import annotations

import math

from ..units import Number, nonnegative_number, positive_number, require_count

__all__ = ["bias_gap", "bias_trajectory", "cycles_to_threshold"]

# A disparity is a size (never negative); alpha is a positive factor. Both may be plain
# numbers or dimensionless quantities (units.nonnegative_number, units.positive_number).


def bias_gap(initial_gap: Number, alpha: Number, cycles: Number) -> float:
    """Disparity after ``cycles`` feedback rounds: ``initial_gap * alpha**cycles``."""
    g0 = nonnegative_number(initial_gap, "initial_gap")
    a = positive_number(alpha, "alpha")
    k = require_count(cycles, "cycles", minimum=0)
    return g0 * a**k


def bias_trajectory(initial_gap: Number, alpha: Number, cycles: Number):
    """Disparity at cycles 0..cycles (numpy array of length cycles + 1), for plots."""
    import numpy as np

    g0 = nonnegative_number(initial_gap, "initial_gap")
    a = positive_number(alpha, "alpha")
    k = require_count(cycles, "cycles", minimum=0)
    return g0 * a ** np.arange(k + 1, dtype=float)


def cycles_to_threshold(initial_gap: Number, alpha: Number, threshold: Number) -> int | None:
    """First cycle k at which ``initial_gap * alpha**k >= threshold``.

    Returns 0 if the gap already meets the threshold and None when it never will (alpha
    <= 1, or a zero initial gap).
    """
    g0 = nonnegative_number(initial_gap, "initial_gap")
    a = positive_number(alpha, "alpha")
    limit = nonnegative_number(threshold, "threshold")
    if g0 >= limit:
        return 0
    if a <= 1 or g0 == 0:
        return None
    k = math.ceil(math.log(limit / g0) / math.log(a) - 1e-12)
    while g0 * a**k < limit:  # guard against floating-point rounding
        k += 1
    return k
