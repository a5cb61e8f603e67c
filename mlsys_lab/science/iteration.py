"""The iteration tax: how experiment turnaround limits how far a model can improve.

ML Workflow, §ML Lifecycle, Napkin Math 1.1 (the iteration tax). In a six-month
(26-week) window a one-week training run allows 26 experiments, while a one-hour run
allows 26 x 168 = 4,368. If each completed iteration adds a fixed gain:

* the large model starts at 95% and gains 0.15 points per iteration: 95 + 26 x 0.15 =
  98.9% after 26 iterations;
* the small model starts at 90% and gains 0.1 points per iteration; using only 100 of
  its thousands of possible runs it reaches 90 + 100 x 0.1 = 100% before the 99% ceiling,
  so it ends at 99%.

Accuracies and gains are fractions (0.95, and 0.0015 for 0.15 percentage points).
Accuracy never exceeds 1.0 even without a ceiling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..facts import constants as C
from ..units import (
    Q_,
    Number,
    nonnegative_number,
    positive_quantity,
    require_count,
    require_probability,
)

__all__ = [
    "time_to_target",
    "experiments_in_window",
    "accuracy_after",
    "iterations_to_reach",
    "AccuracyTrajectory",
    "accuracy_trajectory",
]


def experiments_in_window(window: Number, experiment_duration: Number) -> int:
    """Whole experiments that fit in a calendar window: ``floor(window / duration)``.

    Plain numbers: ``window`` in weeks, ``experiment_duration`` in hours.
    ``experiments_in_window(26, 1) == 4368`` (26 weeks x 168 h/week of one-hour runs).
    """
    w = positive_quantity(window, "week", "window")
    d = positive_quantity(experiment_duration, "hour", "experiment_duration")
    ratio = float((w / d).to("dimensionless").magnitude)
    return int(math.floor(ratio + 1e-9))


def _gain(value: Number) -> float:
    gain = nonnegative_number(value, "gain_per_iteration")
    if gain > 1:
        raise InputError(f"gain_per_iteration: must be a fraction (0.0015 for 0.15 points), got {gain:g}")
    return gain


def accuracy_after(
    start: Number, gain_per_iteration: Number, iterations: Number, ceiling: Number | None = None
) -> float:
    """Accuracy after ``iterations`` equal gains: ``min(start + k*gain, ceiling, 1.0)``.

    ``accuracy_after(0.95, 0.0015, 26) == 0.989``;
    ``accuracy_after(0.90, 0.001, 100, ceiling=0.99) == 0.99``.
    """
    a0 = require_probability(start, "start")
    gain = _gain(gain_per_iteration)
    k = require_count(iterations, "iterations", minimum=0)
    value = min(a0 + k * gain, 1.0)
    if ceiling is not None:
        cap = require_probability(ceiling, "ceiling")
        if cap < a0:
            raise InputError(f"ceiling: must not be below start ({a0:g}), got {cap:g}")
        value = min(value, cap)
    return value


def iterations_to_reach(start: Number, gain_per_iteration: Number, target: Number) -> int:
    """Fewest iterations for ``start + k*gain`` to reach ``target`` (0 if already there)."""
    a0 = require_probability(start, "start")
    gain = _gain(gain_per_iteration)
    goal = require_probability(target, "target")
    if goal <= a0:
        return 0
    if gain == 0:
        raise InputError("gain_per_iteration: must be positive to reach a higher target, got 0")
    return int(math.ceil((goal - a0) / gain - 1e-9))


@dataclass(frozen=True)
class AccuracyTrajectory:
    """Accuracy over calendar time: ``time`` (weeks, quantity array), ``iterations``
    (completed iterations, int array) and ``accuracy`` (fractions, float array)."""

    time: Any
    iterations: Any
    accuracy: Any


def accuracy_trajectory(
    start: Number,
    gain_per_iteration: Number,
    experiment_duration: Number,
    window: Number = C.ITERATION_WINDOW,
    *,
    ceiling: Number | None = None,
    effective_iterations: Number | None = None,
    points: int = 105,
) -> AccuracyTrajectory:
    """Accuracy as iterations complete across a calendar window, for plotting.

    By calendar time t the team has completed ``floor(t / experiment_duration)``
    iterations, or, when ``effective_iterations`` is given (the chapter's "100 effective
    iterations out of thousands possible"), ``floor(effective_iterations * t / window)``.
    Plain numbers: ``experiment_duration`` in hours, ``window`` in weeks.
    """
    import numpy as np

    a0 = require_probability(start, "start")
    gain = _gain(gain_per_iteration)
    d = positive_quantity(experiment_duration, "hour", "experiment_duration")
    w = positive_quantity(window, "week", "window")
    n_points = require_count(points, "points", minimum=2)
    cap = None
    if ceiling is not None:
        cap = require_probability(ceiling, "ceiling")
        if cap < a0:
            raise InputError(f"ceiling: must not be below start ({a0:g}), got {cap:g}")
    weeks = np.linspace(0.0, w.magnitude, n_points)
    if effective_iterations is None:
        per_week = float((Q_(1, "week") / d).to("dimensionless").magnitude)
        iters = np.floor(weeks * per_week + 1e-9).astype(int)
    else:
        total = require_count(effective_iterations, "effective_iterations", minimum=0)
        possible = experiments_in_window(w, d)
        if total > possible:
            raise InputError(
                f"effective_iterations: cannot exceed the {possible} experiments that fit in the window, got {total}"
            )
        iters = np.floor(total * weeks / w.magnitude + 1e-9).astype(int)
    acc = np.minimum(a0 + iters * gain, 1.0)
    if cap is not None:
        acc = np.minimum(acc, cap)
    return AccuracyTrajectory(time=Q_(weeks, "week"), iterations=iters, accuracy=acc)


def time_to_target(start: Number, gain_per_iteration: Number, target: Number, experiment_duration: Number):
    """Calendar time until sequential experiments lift ``start`` to ``target`` (hours).

    ``iterations_to_reach(start, gain, target) x experiment_duration``, with experiments
    run one after another, around the clock. Accuracies and the gain are fractions
    (0.001 for 0.1 percentage points); a plain ``experiment_duration`` is in hours.
    ``time_to_target(0.95, 0.0015, 0.989, Q_(1, "week"))`` is 26 weeks (4,368 h): the
    large model of Napkin Math 1.1 (ML Workflow, §ML Lifecycle).
    """
    duration = positive_quantity(experiment_duration, "hour", "experiment_duration")
    runs = iterations_to_reach(start, gain_per_iteration, target)
    return (runs * duration).to("hour")
