"""Screening metrics: sensitivity, specificity and what they mean at a given prevalence.

ML Workflow, §Evaluation and Validation (the DR targets: sensitivity > 90% so few cases
are missed, specificity > 80% so referral clinics are not flooded) and §Model
Development, footnote on medical AI performance metrics: a test that is 95% sensitive
and 95% specific has a positive predictive value of only 50% when 5% of the screened
population has the disease.

    sensitivity = TP / (TP + FN)          specificity = TN / (TN + FP)
    PPV = se*p / (se*p + (1 - sp)*(1 - p))
    NPV = sp*(1 - p) / (sp*(1 - p) + (1 - se)*p)

where p is the prevalence. All rates are plain floats in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..facts import constants as C
from ..units import Number, as_float_array, require_count, require_probability

__all__ = [
    "sensitivity",
    "specificity",
    "ConfusionSummary",
    "confusion_summary",
    "ppv",
    "npv",
    "ppv_curve",
    "ScreeningCounts",
    "expected_counts",
    "meets_targets",
]


def _counts(*pairs: tuple[Any, str]) -> list[int]:
    return [require_count(v, name, minimum=0) for v, name in pairs]


def sensitivity(tp: Number, fn: Number) -> float:
    """True-positive rate ``TP / (TP + FN)`` from confusion counts."""
    a, b = _counts((tp, "tp"), (fn, "fn"))
    if a + b == 0:
        raise InputError("tp: no positive cases (tp + fn = 0), sensitivity is undefined")
    return a / (a + b)


def specificity(tn: Number, fp: Number) -> float:
    """True-negative rate ``TN / (TN + FP)`` from confusion counts."""
    a, b = _counts((tn, "tn"), (fp, "fp"))
    if a + b == 0:
        raise InputError("tn: no negative cases (tn + fp = 0), specificity is undefined")
    return a / (a + b)


@dataclass(frozen=True)
class ConfusionSummary:
    """Rates from one confusion matrix (all floats; ``ppv``/``npv`` None when undefined)."""

    tp: int
    fp: int
    tn: int
    fn: int
    sensitivity: float
    specificity: float
    ppv: float | None
    npv: float | None
    accuracy: float
    prevalence: float


def confusion_summary(tp: Number, fp: Number, tn: Number, fn: Number) -> ConfusionSummary:
    """Sensitivity, specificity, PPV, NPV, accuracy and prevalence from counts."""
    a, b, c, d = _counts((tp, "tp"), (fp, "fp"), (tn, "tn"), (fn, "fn"))
    total = a + b + c + d
    if total == 0:
        raise InputError("tp: all four counts are zero")
    return ConfusionSummary(
        tp=a,
        fp=b,
        tn=c,
        fn=d,
        sensitivity=sensitivity(a, d),
        specificity=specificity(c, b),
        ppv=a / (a + b) if a + b else None,
        npv=c / (c + d) if c + d else None,
        accuracy=(a + c) / total,
        prevalence=(a + d) / total,
    )


def ppv(sensitivity: Number, specificity: Number, prevalence: Number) -> float:
    """Positive predictive value: the share of positive calls that are true cases.

    ``ppv(0.95, 0.95, 0.05) == 0.5``. Raises InputError when no case is ever called
    positive (sensitivity 0 with specificity 1, or prevalence 0 with specificity 1).
    """
    se = require_probability(sensitivity, "sensitivity")
    sp = require_probability(specificity, "specificity")
    p = require_probability(prevalence, "prevalence")
    true_pos = se * p
    false_pos = (1.0 - sp) * (1.0 - p)
    if true_pos + false_pos == 0:
        raise InputError("sensitivity: with these inputs nothing is called positive; PPV undefined")
    return true_pos / (true_pos + false_pos)


def npv(sensitivity: Number, specificity: Number, prevalence: Number) -> float:
    """Negative predictive value: the share of negative calls that are truly healthy."""
    se = require_probability(sensitivity, "sensitivity")
    sp = require_probability(specificity, "specificity")
    p = require_probability(prevalence, "prevalence")
    true_neg = sp * (1.0 - p)
    false_neg = (1.0 - se) * p
    if true_neg + false_neg == 0:
        raise InputError("specificity: with these inputs nothing is called negative; NPV undefined")
    return true_neg / (true_neg + false_neg)


def ppv_curve(sensitivity: Number, specificity: Number, prevalences: Any):
    """PPV for each prevalence in a sequence (numpy array), for a PPV-vs-prevalence plot."""
    import numpy as np

    se = require_probability(sensitivity, "sensitivity")
    sp = require_probability(specificity, "specificity")
    p = as_float_array(prevalences, "prevalences")
    if np.any((p < 0) | (p > 1)):
        raise InputError("prevalences: every value must be a probability in [0, 1]")
    true_pos = se * p
    false_pos = (1.0 - sp) * (1.0 - p)
    denom = true_pos + false_pos
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(denom > 0, true_pos / np.where(denom > 0, denom, 1.0), np.nan)
    return out


@dataclass(frozen=True)
class ScreeningCounts:
    """Expected outcomes when ``screened`` people are tested (floats, not rounded)."""

    screened: int
    true_positives: float
    false_positives: float
    true_negatives: float
    false_negatives: float
    referrals: float
    ppv: float | None


def expected_counts(
    screened: Number,
    sensitivity: Number = C.DR_SENSITIVITY_TARGET,
    specificity: Number = C.DR_SPECIFICITY_TARGET,
    prevalence: Number = C.PPV_EXAMPLE_PREVALENCE,
) -> ScreeningCounts:
    """Expected TP/FP/TN/FN and referrals among ``screened`` people.

    Referrals are all positive calls (TP + FP): the load the specificity target is meant
    to keep manageable.
    """
    n = require_count(screened, "screened")
    se = require_probability(sensitivity, "sensitivity")
    sp = require_probability(specificity, "specificity")
    p = require_probability(prevalence, "prevalence")
    sick = n * p
    healthy = n - sick
    tp, fn = sick * se, sick * (1 - se)
    tn, fp = healthy * sp, healthy * (1 - sp)
    return ScreeningCounts(
        screened=n,
        true_positives=tp,
        false_positives=fp,
        true_negatives=tn,
        false_negatives=fn,
        referrals=tp + fp,
        ppv=tp / (tp + fp) if tp + fp > 0 else None,
    )


def meets_targets(
    sensitivity: Number,
    specificity: Number,
    sensitivity_target: Number = C.DR_SENSITIVITY_TARGET,
    specificity_target: Number = C.DR_SPECIFICITY_TARGET,
) -> bool:
    """True when both rates exceed the clinical targets (> 90% and > 80% by default)."""
    se = require_probability(sensitivity, "sensitivity")
    sp = require_probability(specificity, "specificity")
    return se > require_probability(sensitivity_target, "sensitivity_target") and sp > (
        require_probability(specificity_target, "specificity_target")
    )
