"""Pareto frontiers: which candidate designs are not beaten on every metric at once.

Follows *Conclusion*, §Thirteen Quantitative Invariants, principle 5 (the Pareto frontier):
a design is Pareto-optimal when no other candidate is at least as good on every metric and
strictly better on one. Moving along the frontier always trades one metric for another;
only designs *behind* the frontier can be improved for free.

Candidates here have an accuracy (higher is better) and a latency (lower is better).
:func:`synthetic_candidates` draws a small, seeded cloud of model variants for plots and
exercises: an illustration with made-up numbers, not measurements. Its shape, accuracy
rising with latency with diminishing returns, echoes the chapter's two-model fallacy (95 %
at 500 ms against 93 % at 50 ms; :data:`mlsys_lab.facts.constants.FALLACY_A_ACCURACY` and
friends), where neither model dominates the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..units import (
    Number,
    as_float_array,
    as_number,
    nonnegative_number,
    require_count,
    require_probability,
)

__all__ = ["Candidates", "dominates", "pareto_front", "synthetic_candidates"]


def dominates(accuracy_a: Number, latency_a: Number, accuracy_b: Number, latency_b: Number) -> bool:
    """True when design A dominates B: no worse on both metrics, strictly better on one.

    Accuracies are fractions in [0, 1]; latencies plain numbers in one shared unit (ms).
    """
    acc_a = require_probability(accuracy_a, "accuracy_a")
    acc_b = require_probability(accuracy_b, "accuracy_b")
    lat_a = nonnegative_number(latency_a, "latency_a")
    lat_b = nonnegative_number(latency_b, "latency_b")
    no_worse = acc_a >= acc_b and lat_a <= lat_b
    better = acc_a > acc_b or lat_a < lat_b
    return no_worse and better


def pareto_front(accuracies: Any, latencies: Any) -> list[int]:
    """Indices of the Pareto-optimal candidates, sorted by increasing latency.

    ``accuracies`` are fractions in [0, 1] (higher is better); ``latencies`` are plain
    non-negative numbers in one unit, e.g. ms (lower is better). Exact duplicates are all kept.
    """
    import numpy as np

    acc = as_float_array(accuracies, "accuracies")
    lat = as_float_array(latencies, "latencies", nonnegative=True)
    if acc.size != lat.size:
        raise InputError(f"latencies: needs one value per accuracy ({acc.size}), got {lat.size}")
    if np.any((acc < 0) | (acc > 1)):
        raise InputError("accuracies: every value must be a fraction in [0, 1]")
    front = []
    for i in range(acc.size):
        beaten = np.any((acc >= acc[i]) & (lat <= lat[i]) & ((acc > acc[i]) | (lat < lat[i])))
        if not beaten:
            front.append(i)
    return sorted(front, key=lambda i: (lat[i], -acc[i]))


@dataclass(frozen=True)
class Candidates:
    """A cloud of candidate designs: ``accuracy`` (fractions) and ``latency_ms`` arrays."""

    accuracy: Any
    latency_ms: Any

    @property
    def front(self) -> list[int]:
        """Indices of the Pareto-optimal candidates (see :func:`pareto_front`)."""
        return pareto_front(self.accuracy, self.latency_ms)


def synthetic_candidates(
    n: Number = 40,
    seed: Number = 0,
    *,
    best_accuracy: Number = 0.96,
    min_latency_ms: Number = 5.0,
    max_latency_ms: Number = 600.0,
) -> Candidates:
    """A seeded cloud of ``n`` made-up model variants (for plots and exercises).

    Each variant's latency is drawn log-uniformly in [min_latency_ms, max_latency_ms]. The
    best accuracy reachable at latency L follows a diminishing-returns curve that reaches
    ``best_accuracy`` at ``max_latency_ms``; each variant falls short of it by a random
    inefficiency, so only a few variants sit on the frontier.
    """
    import numpy as np

    count = require_count(n, "n", minimum=2)
    rng = np.random.default_rng(require_count(seed, "seed", minimum=0))
    top = require_probability(best_accuracy, "best_accuracy")
    lo = as_number(min_latency_ms, "min_latency_ms")
    hi = as_number(max_latency_ms, "max_latency_ms")
    if not 0 < lo < hi:
        raise InputError("min_latency_ms: must be positive and below max_latency_ms")
    latency = np.exp(rng.uniform(np.log(lo), np.log(hi), count))
    reachable = top - 0.08 * (np.log(hi) - np.log(latency)) / (np.log(hi) - np.log(lo))
    shortfall = rng.exponential(0.03, count)
    accuracy = np.clip(reachable - shortfall, 0.0, 1.0)
    return Candidates(accuracy=accuracy, latency_ms=latency)
