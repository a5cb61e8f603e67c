"""Evaluation statistics: how much a test set can tell you, calibration, subgroups.

* Verification gap (Conclusion, §Thirteen Quantitative Invariants, principle 9): ML
  testing bounds error statistically instead of proving correctness. An accuracy p
  measured on n independent test cases has standard error ``sqrt(p (1 - p) / n)``; to
  pin p down to +/- m at a given confidence you need about ``z**2 p (1 - p) / m**2``
  cases. With zero failures in n cases, 3/n is an approximate 95% upper bound on the
  error rate (the "rule of three").
* Calibration (ML Workflow, §Evaluation and Validation): a calibrated model's 80%
  confidence is right 80% of the time. Expected calibration error (ECE) averages the
  gap between confidence and accuracy over confidence bins, weighted by bin size.
* Stratified evaluation (same section): aggregate metrics can hide a subgroup far below
  the floor, so metrics are computed per subgroup and the largest gap is reported.

Rates are plain floats in [0, 1]; labels are 0/1 (or booleans).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Mapping

from ..errors import InputError
from ..units import Number, as_float_array, as_number, require_count, require_probability
from . import screening

__all__ = [
    "z_value",
    "standard_error",
    "confidence_interval",
    "test_set_size",
    "rule_of_three",
    "CalibrationBins",
    "calibration_bins",
    "expected_calibration_error",
    "subgroup_metrics",
    "max_subgroup_gap",
]


def z_value(confidence: Number = 0.95) -> float:
    """Two-sided normal quantile for a confidence level (1.96 for 0.95)."""
    c = require_probability(confidence, "confidence")
    if not 0 < c < 1:
        raise InputError(f"confidence: must be strictly between 0 and 1, got {c:g}")
    return NormalDist().inv_cdf(0.5 + c / 2.0)


def standard_error(p: Number, n: Number) -> float:
    """Standard error of a proportion measured on n cases: ``sqrt(p (1 - p) / n)``."""
    rate = require_probability(p, "p")
    count = require_count(n, "n")
    return math.sqrt(rate * (1.0 - rate) / count)


def confidence_interval(p: Number, n: Number, confidence: Number = 0.95) -> tuple[float, float]:
    """Normal-approximation interval ``p +/- z * SE``, clipped to [0, 1]."""
    rate = require_probability(p, "p")
    half = z_value(confidence) * standard_error(rate, n)
    return max(0.0, rate - half), min(1.0, rate + half)


def test_set_size(p: Number, margin: Number, confidence: Number = 0.95) -> int:
    """Test cases needed so the interval half-width is at most ``margin``.

    ``ceil(z**2 p (1 - p) / margin**2)``; use p = 0.5 for the worst case. Telling 90%
    from 95% sensitivity needs far more positive cases than a demo set holds.
    """
    rate = require_probability(p, "p")
    m = as_number(margin, "margin")
    if not 0 < m < 1:
        raise InputError(f"margin: must be between 0 and 1 (exclusive), got {m:g}")
    z = z_value(confidence)
    return max(1, math.ceil(z * z * rate * (1.0 - rate) / (m * m) - 1e-9))


def rule_of_three(n: Number) -> float:
    """Approximate 95% upper bound on an error rate after n error-free trials: 3 / n."""
    return min(1.0, 3.0 / require_count(n, "n"))


def _labels(values: Any, name: str):
    import numpy as np

    if isinstance(values, (str, bytes)) or values is None:
        raise InputError(f"{name}: expected a sequence of 0/1 labels, got {values!r}")
    arr = np.asarray(values)
    if arr.dtype == bool:
        arr = arr.astype(float)
    else:
        arr = as_float_array(values, name)
    if arr.ndim != 1 or arr.size == 0:
        raise InputError(f"{name}: expected a non-empty 1-D sequence of labels")
    if not np.all((arr == 0) | (arr == 1)):
        raise InputError(f"{name}: labels must be 0 or 1")
    return arr.astype(int)


@dataclass(frozen=True)
class CalibrationBins:
    """Per-bin ``edges`` (length bins+1), ``counts``, mean ``confidence`` and ``accuracy``
    (NaN for empty bins), for a reliability diagram."""

    edges: Any
    counts: Any
    confidence: Any
    accuracy: Any


def calibration_bins(confidences: Any, correct: Any, bins: Number = 10) -> CalibrationBins:
    """Group predictions into equal-width confidence bins on [0, 1]."""
    import numpy as np

    conf = as_float_array(confidences, "confidences")
    if np.any((conf < 0) | (conf > 1)):
        raise InputError("confidences: every value must be in [0, 1]")
    hits = _labels(correct, "correct")
    if hits.size != conf.size:
        raise InputError(f"correct: needs one entry per confidence ({conf.size}), got {hits.size}")
    k = require_count(bins, "bins")
    edges = np.linspace(0.0, 1.0, k + 1)
    idx = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, k - 1)
    counts = np.bincount(idx, minlength=k)
    conf_sum = np.bincount(idx, weights=conf, minlength=k)
    hit_sum = np.bincount(idx, weights=hits, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.where(counts > 0, conf_sum / np.maximum(counts, 1), np.nan)
        acc = np.where(counts > 0, hit_sum / np.maximum(counts, 1), np.nan)
    return CalibrationBins(edges=edges, counts=counts, confidence=mean_conf, accuracy=acc)


def expected_calibration_error(confidences: Any, correct: Any, bins: Number = 10) -> float:
    """ECE: ``sum_b (n_b / n) * |accuracy_b - confidence_b|`` over non-empty bins."""
    import numpy as np

    table = calibration_bins(confidences, correct, bins)
    total = table.counts.sum()
    mask = table.counts > 0
    gaps = np.abs(table.accuracy[mask] - table.confidence[mask])
    return float(np.sum(table.counts[mask] / total * gaps))


def subgroup_metrics(y_true: Any, y_pred: Any, groups: Any) -> dict[Any, screening.ConfusionSummary]:
    """Confusion-matrix rates for each subgroup label in ``groups``.

    Sensitivity or specificity of a group with no positive (or no negative) cases would be
    undefined; such groups raise InputError naming the group.
    """
    import numpy as np

    truth = _labels(y_true, "y_true")
    pred = _labels(y_pred, "y_pred")
    if pred.size != truth.size:
        raise InputError(f"y_pred: needs one entry per label ({truth.size}), got {pred.size}")
    if isinstance(groups, (str, bytes)) or groups is None:
        raise InputError(f"groups: expected one group label per case, got {groups!r}")
    labels = list(groups)
    if len(labels) != truth.size:
        raise InputError(f"groups: needs one entry per label ({truth.size}), got {len(labels)}")
    result: dict[Any, screening.ConfusionSummary] = {}
    label_arr = np.asarray(labels, dtype=object)
    for g in dict.fromkeys(labels):
        mask = label_arr == g
        t, p = truth[mask], pred[mask]
        tp = int(np.sum((t == 1) & (p == 1)))
        fn = int(np.sum((t == 1) & (p == 0)))
        tn = int(np.sum((t == 0) & (p == 0)))
        fp = int(np.sum((t == 0) & (p == 1)))
        if tp + fn == 0 or tn + fp == 0:
            raise InputError(f"groups: subgroup {g!r} lacks positive or negative cases")
        result[g] = screening.confusion_summary(tp, fp, tn, fn)
    return result


def max_subgroup_gap(values: Mapping[Any, Any]) -> float:
    """Largest difference between any two subgroups' metric values (max - min)."""
    if not isinstance(values, Mapping) or not values:
        raise InputError("values: expected a non-empty dict of subgroup -> metric value")
    numbers = [as_number(v, f"values[{k!r}]") for k, v in values.items()]
    return max(numbers) - min(numbers)
