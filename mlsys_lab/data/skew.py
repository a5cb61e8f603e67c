"""Skew and drift: when the inputs a model serves part from the inputs it learned on.

Follows *Conclusion*, §Thirteen Quantitative Invariants, principles 10 and 11, and the
fleet story of §Synthesizing ML Systems.

* **Training-serving skew law** (principle 11)::

      Delta accuracy  ~  E[ |f_serve(x) - f_train(x)| ]

  The *code* moved: the serving path prepares inputs slightly differently from the
  training path (another resize library, a normalisation constant computed in another
  precision), so the model sees inputs it was never trained on.
* **Statistical drift invariant** (principle 10)::

      Accuracy(t)  ~  Accuracy_0 - lambda * D(P_t || P_0)

  The *world* moved: lighting, seasons or user behaviour shift the input distribution
  away from the training one, with no code change at all.

Both are simulated in one small, seeded synthetic world. A scene has two pixel-like
features (0-255 scale); a two-feature logistic model is exactly right on the training path
(its output *is* the probability that the scene's label is 1), so its decisions are the
best possible and any mismatch can only cost accuracy. Accuracies are *expected*
accuracies, averaged over label noise, so a mismatch never looks helpful by luck.

* :func:`skew_gap` computes ``E|f_serve - f_train|`` for any two arrays of outputs.
* :func:`simulate_skew`: one serving path that rescales (``serving_scale``) and shifts
  (``serving_offset``) the raw brightness feature before the unchanged normalisation.
* :func:`fleet_skew`: a phone fleet split into firmware cohorts, each with its own
  preprocessing path, as in the chapter's opening story; per cohort the drift score (PSI,
  :func:`mlsys_lab.science.drift.psi_from_samples`) and accuracy, plus the fleet-wide accuracy.
* :func:`simulate_drift`: the lighting of every scene drifts by a growing amount while the
  labels still follow the scene's content; PSI grows and accuracy erodes with it.

The numbers are an illustration, not data from a real system.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..errors import InputError
from ..science import drift
from ..units import (
    Number,
    as_float_array,
    as_number,
    positive_number,
    require_count,
    require_probability,
)

__all__ = [
    "SkewResult",
    "skew_gap",
    "simulate_skew",
    "CohortResult",
    "FleetResult",
    "DEFAULT_COHORTS",
    "fleet_skew",
    "DriftPoint",
    "simulate_drift",
]


def skew_gap(train_outputs: Any, serve_outputs: Any) -> float:
    """Mean absolute difference between the two paths' outputs, ``E|f_serve - f_train|``.

    Both are sequences of model outputs (e.g. probabilities) for the same inputs.
    """
    import numpy as np

    a = as_float_array(train_outputs, "train_outputs")
    b = as_float_array(serve_outputs, "serve_outputs")
    if a.size != b.size:
        raise InputError(f"serve_outputs: needs one output per training-path output ({a.size}), got {b.size}")
    return float(np.mean(np.abs(b - a)))


# The synthetic world: raw features with these training-time means and spreads; the
# logistic weights act on the normalised features.
_MEAN = (120.0, 60.0)
_STD = (30.0, 15.0)
_WEIGHTS = (4.0, -2.5)
_BIAS = 0.3


def _rng(seed: Any):
    import numpy as np

    return np.random.default_rng(require_count(seed, "seed", minimum=0))


def _scenes(rng, count: int):
    import numpy as np

    return rng.normal(np.array(_MEAN), np.array(_STD), size=(count, 2))


def _predict(raw):
    import numpy as np

    z = (raw - np.array(_MEAN)) / np.array(_STD)
    return 1.0 / (1.0 + np.exp(-(z @ np.array(_WEIGHTS) + _BIAS)))


def _serve(raw, scale: float, offset: float):
    """The serving path's view: brightness (feature 0) rescaled and shifted."""
    out = raw.copy()
    out[:, 0] = out[:, 0] * scale + offset
    return out


def _expected_accuracy(p_model, p_true) -> float:
    """Chance that the model's decisions match the labels, averaged over label noise."""
    import numpy as np

    return float(np.mean(np.where(p_model >= 0.5, p_true, 1.0 - p_true)))


def _scale_offset(serving_scale: Number, serving_offset: Number) -> tuple[float, float]:
    scale = positive_number(serving_scale, "serving_scale")
    return scale, as_number(serving_offset, "serving_offset")


@dataclass(frozen=True)
class SkewResult:
    """Outcome of one skew simulation.

    ``gap`` = E|p_serve - p_train| (the law's right-hand side), ``train_accuracy`` and
    ``serve_accuracy`` (expected accuracies on the same inputs), ``accuracy_drop`` =
    train_accuracy - serve_accuracy, ``flipped`` = share of inputs whose decision changed.
    """

    serving_scale: float
    serving_offset: float
    gap: float
    train_accuracy: float
    serve_accuracy: float
    accuracy_drop: float
    flipped: float


def simulate_skew(
    serving_scale: Number = 1.0, serving_offset: Number = 0.0, *, n: Number = 4000, seed: Number = 0
) -> SkewResult:
    """Accuracy of one model on the training path and on a skewed serving path.

    ``serving_scale`` multiplies and ``serving_offset`` (in raw pixel units) shifts the
    brightness feature on the serving path only; ``1.0`` and ``0.0`` mean no skew. ``n`` inputs are
    drawn with ``numpy.random.default_rng(seed)``.
    """
    import numpy as np

    scale, offset = _scale_offset(serving_scale, serving_offset)
    count = require_count(n, "n", minimum=10)
    raw = _scenes(_rng(seed), count)
    p_train = _predict(raw)
    p_serve = _predict(_serve(raw, scale, offset))
    train_acc = _expected_accuracy(p_train, p_train)
    serve_acc = _expected_accuracy(p_serve, p_train)
    return SkewResult(
        serving_scale=scale,
        serving_offset=offset,
        gap=skew_gap(p_train, p_serve),
        train_accuracy=train_acc,
        serve_accuracy=serve_acc,
        accuracy_drop=train_acc - serve_acc,
        flipped=float(np.mean((p_train >= 0.5) != (p_serve >= 0.5))),
    )


# ------------------------------------------------------------------------------------------
# a fleet of firmware cohorts


#: Cohort name -> (share of the fleet, serving_scale, serving_offset). Cohort C's firmware
#: brightens and stretches frames before the app sees them; the others are faithful.
DEFAULT_COHORTS: dict[str, tuple[float, float, float]] = {
    "firmware A": (0.55, 1.00, 0.0),
    "firmware B": (0.30, 1.00, 1.0),
    "firmware C": (0.15, 1.04, 7.0),
}


@dataclass(frozen=True)
class CohortResult:
    """One cohort: its fleet ``share``, drift score ``psi`` of its served brightness against
    the training data, the PSI ``band``, ``accuracy`` and ``accuracy_drop`` (fractions)."""

    name: str
    share: float
    psi: float
    band: str
    accuracy: float
    accuracy_drop: float


@dataclass(frozen=True)
class FleetResult:
    """Per-cohort results, the share-weighted ``fleet_accuracy`` and ``fleet_drop``."""

    cohorts: tuple
    baseline_accuracy: float
    fleet_accuracy: float
    fleet_drop: float


def fleet_skew(cohorts: Mapping[str, tuple] | None = None, *, n: Number = 4000, seed: Number = 0) -> FleetResult:
    """Accuracy and drift score per firmware cohort of a phone fleet.

    ``cohorts`` maps a name to ``(share, serving_scale, serving_offset)``; shares must add
    up to 1 (default :data:`DEFAULT_COHORTS`). Every cohort sees scenes from the same
    population; only its preprocessing differs. PSI compares the first (brightness) feature
    the model receives with the training set's, using the chapter's bands.
    """
    table = DEFAULT_COHORTS if cohorts is None else cohorts
    if not isinstance(table, Mapping) or not table:
        raise InputError("cohorts: expected a mapping name -> (share, scale, offset)")
    count = require_count(n, "n", minimum=10)
    rng = _rng(seed)
    training = _scenes(rng, count)
    total_share = 0.0
    results = []
    baseline = 0.0
    for name, spec in table.items():
        if not isinstance(spec, (tuple, list)) or len(spec) != 3:
            raise InputError(f"cohorts[{name!r}]: expected (share, scale, offset), got {spec!r}")
        share = require_probability(spec[0], f"cohorts[{name!r}].share")
        scale, offset = _scale_offset(spec[1], spec[2])
        raw = _scenes(rng, count)
        p_true = _predict(raw)
        served = _serve(raw, scale, offset)
        best = _expected_accuracy(p_true, p_true)
        acc = _expected_accuracy(_predict(served), p_true)
        score = drift.psi_from_samples(training[:, 0], served[:, 0])
        results.append(CohortResult(str(name), share, score, drift.psi_band(score), acc, best - acc))
        total_share += share
        baseline += share * best
    if abs(total_share - 1.0) > 1e-6:
        raise InputError(f"cohorts: shares must add up to 1, got {total_share:g}")
    fleet_acc = sum(c.share * c.accuracy for c in results)
    return FleetResult(tuple(results), baseline, fleet_acc, baseline - fleet_acc)


# ------------------------------------------------------------------------------------------
# drift over time


@dataclass(frozen=True)
class DriftPoint:
    """One moment of a drifting world: the lighting ``shift`` (raw units), the drift score
    ``psi`` of the served brightness against training, its ``band`` and the ``accuracy``."""

    shift: float
    psi: float
    band: str
    accuracy: float


def simulate_drift(shifts: Any = (0, 5, 10, 15, 20, 25, 30), *, n: Number = 2000, seed: Number = 0) -> list[DriftPoint]:
    """Accuracy and PSI as the scene lighting drifts by each amount in ``shifts``.

    The labels keep following the scenes' content, but the camera now records every scene
    ``shift`` units brighter; the model, unchanged, reads the brighter pixels. Each moment
    draws its own ``n`` scenes (seeded), so PSI carries a little sampling noise.
    """
    values = as_float_array(shifts, "shifts")
    count = require_count(n, "n", minimum=10)
    rng = _rng(seed)
    training = _scenes(rng, count)
    points = []
    for shift in values:
        raw = _scenes(rng, count)
        p_true = _predict(raw)
        seen = raw.copy()
        seen[:, 0] += shift
        score = drift.psi_from_samples(training[:, 0], seen[:, 0])
        points.append(
            DriftPoint(float(shift), score, drift.psi_band(score), _expected_accuracy(_predict(seen), p_true))
        )
    return points
