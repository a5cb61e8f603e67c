"""Synthetic evaluation sets: a screening cohort with subgroups, and confidence scores.

Follows *ML Workflow*, §Evaluation and Validation ("Evaluation metrics and thresholds"):

* **Stratified evaluation.** A single aggregate number can look healthy while one group of
  patients is served badly; the chapter's example is 94 % overall accuracy with a group
  (patients with cataracts, say) far below the 90 % sensitivity floor. :func:`synthetic_cohort`
  builds a small labelled cohort in which each subgroup has the sensitivity and specificity
  you ask for, and :func:`stratified_table` scores it overall and per group with
  :func:`mlsys_lab.science.evaluation.subgroup_metrics`.
* **Calibration.** :func:`synthetic_confidences` draws confidence scores whose true hit
  rate is ``sigmoid(logit(c) / temperature)``: with ``temperature=1`` the scores are
  calibrated, above 1 the model is over-confident (its 90 % is right less often than 90 %
  of the time). Score them with :func:`mlsys_lab.science.evaluation.calibration_bins` and
  :func:`mlsys_lab.science.evaluation.expected_calibration_error`.

The data are made up (seeded, reproducible); only the clinical floors come from the chapter.
Labels are 0/1 integer arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import InputError
from ..science import evaluation
from ..units import Number, positive_number, require_count, require_probability

__all__ = [
    "SubgroupSpec",
    "DEFAULT_SUBGROUPS",
    "Cohort",
    "synthetic_cohort",
    "stratified_table",
    "ALL_PATIENTS",
    "synthetic_confidences",
]

#: Row label :func:`stratified_table` uses for the whole cohort.
ALL_PATIENTS = "all patients"


@dataclass(frozen=True)
class SubgroupSpec:
    """One subgroup of a synthetic cohort: its ``name``, ``size`` (patients), disease
    ``prevalence`` and the ``sensitivity`` and ``specificity`` the model achieves on it."""

    name: str
    size: int
    prevalence: float
    sensitivity: float
    specificity: float


#: Course example (not chapter data): most patients have clear lenses; a smaller group
#: with cataracts gets blurrier photographs on which the model misses more disease.
DEFAULT_SUBGROUPS: tuple[SubgroupSpec, ...] = (
    SubgroupSpec("clear lens", 1700, 0.25, 0.96, 0.95),
    SubgroupSpec("cataract", 300, 0.25, 0.76, 0.90),
)


@dataclass(frozen=True)
class Cohort:
    """A labelled cohort: ``y_true`` (disease 0/1), ``y_pred`` (referral 0/1) and the
    subgroup name of every patient in ``groups`` (all numpy arrays of equal length)."""

    y_true: Any
    y_pred: Any
    groups: Any


def _spec(entry: Any, index: int) -> SubgroupSpec:
    if isinstance(entry, SubgroupSpec):
        name, size, prev, se, sp = (entry.name, entry.size, entry.prevalence, entry.sensitivity, entry.specificity)
    elif isinstance(entry, (tuple, list)) and len(entry) == 5:
        name, size, prev, se, sp = entry
    else:
        raise InputError(
            f"subgroups[{index}]: expected (name, size, prevalence, sensitivity, specificity), got {entry!r}"
        )
    return SubgroupSpec(
        name=str(name),
        size=require_count(size, f"subgroups[{index}].size"),
        prevalence=require_probability(prev, f"subgroups[{index}].prevalence"),
        sensitivity=require_probability(se, f"subgroups[{index}].sensitivity"),
        specificity=require_probability(sp, f"subgroups[{index}].specificity"),
    )


def synthetic_cohort(subgroups: Sequence[Any] = DEFAULT_SUBGROUPS, seed: Number = 0) -> Cohort:
    """A shuffled cohort in which every subgroup hits its rates as closely as whole
    patients allow.

    Each group has ``round(size * prevalence)`` diseased patients, of whom
    ``round(sensitivity * positives)`` are referred, and ``round(specificity * negatives)``
    healthy patients who are correctly not referred; ``seed`` only shuffles who is who.
    ``subgroups`` holds :class:`SubgroupSpec` records or 5-tuples.
    """
    import numpy as np

    if isinstance(subgroups, (str, bytes)) or not hasattr(subgroups, "__iter__"):
        raise InputError("subgroups: expected a list of (name, size, prevalence, sensitivity, specificity) entries")
    specs = [_spec(s, i) for i, s in enumerate(subgroups)]
    if not specs:
        raise InputError("subgroups: needs at least one subgroup")
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise InputError(f"subgroups: names must be distinct, got {names}")
    rng = np.random.default_rng(require_count(seed, "seed", minimum=0))
    truths, preds, labels = [], [], []
    for s in specs:
        positives = int(round(s.size * s.prevalence))
        negatives = s.size - positives
        if positives == 0 or negatives == 0:
            raise InputError(f"subgroups: {s.name!r} needs both diseased and healthy patients")
        caught = int(round(s.sensitivity * positives))
        cleared = int(round(s.specificity * negatives))
        truth = np.r_[np.ones(positives, int), np.zeros(negatives, int)]
        pred = np.r_[
            np.ones(caught, int),
            np.zeros(positives - caught, int),
            np.zeros(cleared, int),
            np.ones(negatives - cleared, int),
        ]
        truths.append(truth)
        preds.append(pred)
        labels.append(np.full(s.size, s.name, dtype=object))
    y_true, y_pred, groups = np.concatenate(truths), np.concatenate(preds), np.concatenate(labels)
    order = rng.permutation(y_true.size)
    return Cohort(y_true=y_true[order], y_pred=y_pred[order], groups=groups[order])


def stratified_table(cohort: Cohort) -> dict:
    """Confusion summaries for the whole cohort (key :data:`ALL_PATIENTS`) and then for
    each subgroup, all computed by :func:`mlsys_lab.science.evaluation.subgroup_metrics`."""
    if not isinstance(cohort, Cohort):
        raise InputError(f"cohort: expected a Cohort from synthetic_cohort, got {type(cohort).__name__}")
    overall = evaluation.subgroup_metrics(cohort.y_true, cohort.y_pred, [ALL_PATIENTS] * len(cohort.y_true))
    return {**overall, **evaluation.subgroup_metrics(cohort.y_true, cohort.y_pred, cohort.groups)}


def synthetic_confidences(
    n: Number = 2000,
    temperature: Number = 2.0,
    low: Number = 0.5,
    high: Number = 0.99,
    seed: Number = 0,
):
    """``(confidences, correct)``: ``n`` scores drawn uniformly in ``[low, high]`` and
    whether each prediction was right.

    A prediction with confidence ``c`` is right with probability
    ``sigmoid(logit(c) / temperature)``: ``temperature=1`` gives a calibrated model,
    ``temperature > 1`` an over-confident one (the situation temperature scaling repairs),
    ``temperature < 1`` an under-confident one.
    """
    import numpy as np

    count = require_count(n, "n")
    t = positive_number(temperature, "temperature")
    lo = require_probability(low, "low")
    hi = require_probability(high, "high")
    if not 0 < lo < hi < 1:
        raise InputError(f"low, high: need 0 < low < high < 1, got {lo:g} and {hi:g}")
    rng = np.random.default_rng(require_count(seed, "seed", minimum=0))
    conf = rng.uniform(lo, hi, count)
    logit = np.log(conf / (1.0 - conf))
    hit_rate = 1.0 / (1.0 + np.exp(-logit / t))
    correct = (rng.uniform(0.0, 1.0, count) < hit_rate).astype(int)
    return conf, correct
