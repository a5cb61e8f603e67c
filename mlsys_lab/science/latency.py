"""Latency budgets: serial stages add, parallel branches take the slowest, tails matter.

* ML Workflow, §Deployment and Integration, self-check: a request's time splits into
  15 ms of model execution, 60 ms fetching extra features from the cloud, and 40 ms of
  serializing and talking to the hospital information system: 115 ms against a 100 ms
  budget. Caching the features
  on the device removes the round-trip; the fixed overhead falls from 100 ms to 40 ms
  and the request takes 55 ms.
* Conclusion, §Future Directions, system composition: a composed request's latency is
  the sum of its serial stages, with parallel tool calls contributing their maximum, plus
  orchestration overhead; its reliability composes too (every component must work).
* Conclusion, §Principles in Practice: a 50 ms mean can hide a 2,000 ms P99, 40x the
  mean; the latency budget invariant (principle 12) makes the tail, not the mean, the
  constraint. Hence the fallacy that a 95%-accurate model at 500 ms beats a 93% one at
  50 ms: under a tail budget the slower model is not a candidate at all.

Plain-number defaults: times in ms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..errors import InputError
from ..units import (
    Q_,
    Number,
    nonnegative_quantity,
    positive_quantity,
    require_probability,
)

__all__ = [
    "serial_latency",
    "parallel_latency",
    "ComposedLatency",
    "composed_latency",
    "BudgetCheck",
    "budget_check",
    "tail_ratio",
    "composed_availability",
    "Candidate",
    "best_within_budget",
]


def _times(stages: Iterable[Number], name: str) -> list:
    items = list(stages)
    if len(items) == 1 and isinstance(items[0], (list, tuple)):
        items = list(items[0])
    return [nonnegative_quantity(t, "ms", f"{name}[{i}]") for i, t in enumerate(items)]


def serial_latency(*stages: Number):
    """Latency of stages run one after another: their sum (ms). No stages gives 0 ms.

    ``serial_latency(15, 60, 40)`` is 115 ms. A single list or tuple argument also works.
    """
    times = _times(stages, "stages")
    return sum(times, Q_(0.0, "ms")).to("ms")


def parallel_latency(*branches: Number):
    """Latency of branches run concurrently: the slowest one (ms). No branches gives 0 ms."""
    times = _times(branches, "branches")
    if not times:
        return Q_(0.0, "ms")
    return max(times, key=lambda q: q.magnitude).to("ms")


@dataclass(frozen=True)
class ComposedLatency:
    """``serial`` (sum of serial stages), ``parallel`` (max of concurrent branches),
    ``orchestration`` overhead and ``total`` = their sum, all in ms."""

    serial: Number
    parallel: Number
    orchestration: Number
    total: Number


def composed_latency(
    serial: Iterable[Number] = (),
    parallel: Iterable[Number] = (),
    orchestration: Number = 0,
) -> ComposedLatency:
    """Latency of a composed request: sum(serial) + max(parallel) + orchestration.

    Conclusion, §Future Directions (system composition as a stress test).
    """
    if isinstance(serial, (str, bytes)) or not hasattr(serial, "__iter__"):
        raise InputError("serial: expected a list of stage latencies")
    if isinstance(parallel, (str, bytes)) or not hasattr(parallel, "__iter__"):
        raise InputError("parallel: expected a list of branch latencies")
    s = serial_latency(*list(serial)) if list(serial) else Q_(0.0, "ms")
    p = parallel_latency(*list(parallel)) if list(parallel) else Q_(0.0, "ms")
    o = nonnegative_quantity(orchestration, "ms", "orchestration")
    return ComposedLatency(serial=s, parallel=p, orchestration=o, total=(s + p + o).to("ms"))


@dataclass(frozen=True)
class BudgetCheck:
    """``within`` is True when ``total <= budget``; ``overshoot`` = max(0, total - budget),
    ``headroom`` = budget - total (negative when over), ``utilization`` = total/budget."""

    total: Number
    budget: Number
    within: bool
    overshoot: Number
    headroom: Number
    utilization: float


def budget_check(total: Number, budget: Number) -> BudgetCheck:
    """Compare a latency with its budget (ms). 115 ms against 100 ms is 15 ms over."""
    t = nonnegative_quantity(total, "ms", "total")
    b = positive_quantity(budget, "ms", "budget")
    headroom = (b - t).to("ms")
    overshoot = Q_(max(0.0, -headroom.magnitude), "ms")
    return BudgetCheck(
        total=t,
        budget=b,
        within=t.magnitude <= b.magnitude,
        overshoot=overshoot,
        headroom=headroom,
        utilization=float((t / b).to("dimensionless").magnitude),
    )


def tail_ratio(tail_latency: Number, mean_latency: Number) -> float:
    """How many times slower the tail is than the mean: P99 / mean (2,000 / 50 = 40)."""
    tail = positive_quantity(tail_latency, "ms", "tail_latency")
    mean = positive_quantity(mean_latency, "ms", "mean_latency")
    return float((tail / mean).to("dimensionless").magnitude)


def composed_availability(*availabilities: Number) -> float:
    """Probability every component works: the product of independent availabilities.

    Five components at 99.9% each give 99.5%: each added interface lowers the system's
    reliability (Conclusion, §Future Directions, system composition).
    """
    items = list(availabilities)
    if len(items) == 1 and isinstance(items[0], (list, tuple)):
        items = list(items[0])
    if not items:
        raise InputError("availabilities: needs at least one component availability")
    result = 1.0
    for i, a in enumerate(items):
        result *= require_probability(a, f"availabilities[{i}]")
    return result


@dataclass(frozen=True)
class Candidate:
    """A model option: ``name``, ``accuracy`` (fraction) and tail ``latency`` (ms)."""

    name: str
    accuracy: float
    latency: Number


def best_within_budget(candidates: Iterable[Any], budget: Number) -> Candidate | None:
    """The most accurate candidate whose tail latency fits the budget, or None.

    ``candidates`` holds :class:`Candidate` records or ``(name, accuracy, latency)``
    tuples. With a 100 ms budget, 95% at 500 ms loses to 93% at 50 ms (Conclusion,
    §Fallacies and Pitfalls, single-metric fallacy).
    """
    b = positive_quantity(budget, "ms", "budget")
    if isinstance(candidates, (str, bytes)) or not hasattr(candidates, "__iter__"):
        raise InputError("candidates: expected a list of (name, accuracy, latency) entries")
    parsed: list[Candidate] = []
    for i, c in enumerate(candidates):
        if isinstance(c, Candidate):
            name, acc, lat = c.name, c.accuracy, c.latency
        elif isinstance(c, (tuple, list)) and len(c) == 3:
            name, acc, lat = c
        else:
            raise InputError(f"candidates[{i}]: expected (name, accuracy, latency), got {c!r}")
        parsed.append(
            Candidate(
                str(name),
                require_probability(acc, f"candidates[{i}].accuracy"),
                nonnegative_quantity(lat, "ms", f"candidates[{i}].latency"),
            )
        )
    if not parsed:
        raise InputError("candidates: needs at least one candidate")
    fitting = [c for c in parsed if c.latency.magnitude <= b.magnitude]
    if not fitting:
        return None
    return max(fitting, key=lambda c: c.accuracy)
