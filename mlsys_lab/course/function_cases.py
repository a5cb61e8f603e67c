"""Function exercises: the hidden inputs a student's function is graded on, and the reference.

A *function exercise* asks the student to write a function (``psi_monitor(expected, observed)``)
rather than store one value. The course grader calls that function inside the sandbox on inputs
drawn at grading time from a seed the notebook never holds, and compares each output with the
course library's own calculator on the same inputs (see ``autograder/grading/functions.py`` and
``solutions/README.md``, "Function exercises"). This module is the registry of those exercises.

Each :class:`CaseSet` holds

* ``name``: the function the student writes (and the name the master's tests use);
* ``example``: the visible example (printed in the prompt; the public check runs it);
* ``draw``: hidden inputs from a random generator, each tagged with a ``kind`` a student can
  understand ("an empty bin"): the grader's feedback names the kind of a failed case, never
  its input or the expected output. Every draw holds every kind at least once;
* ``reference``: the expected output for plain inputs, computed with an ``mlsys_lab``
  calculator (a case whose reference raises ``ValueError`` expects the student to raise it too);
* ``guards``: the library functions that do the exercise's work; while the student's function
  runs for grading they raise "write it yourself";
* ``returns``: the form of the output (``number``, ``count``, ``indices``), and the tolerance.

Inputs and outputs are plain data (numbers, lists), so they cross the sandbox as JSON. The
generators and references are public (they ship with the course package); the seed is not.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "Case",
    "CaseSet",
    "REGISTRY",
    "get",
    "draw",
    "expected",
    "same_outcome",
    "form_problem",
    "ASSIGN_SEEDS",
]

ASSIGN_SEEDS = (0, 1, 2)
"""Seeds the hidden test draws from when it runs in the student's own kernel (``otter assign``
checking the master's solution, ``otter run``, nbgrader): fixed, so those runs are repeatable.
The course grader (``grade``, Gradescope) draws from a fresh seed instead."""

RAISES = "ValueError"
"""What a student's function raises for inputs that make no sense (``InputError`` is one)."""


@dataclass(frozen=True)
class Case:
    """One input for the student's function: ``args`` (plain data) and its ``kind``."""

    kind: str
    args: tuple


@dataclass(frozen=True)
class CaseSet:
    """A function exercise (see the module docstring)."""

    name: str
    example: tuple
    draw: Callable[[random.Random], list]
    reference: Callable[..., object]
    guards: tuple
    returns: str = "number"  # number | count | indices
    rel: float = 1e-6
    absolute: float = 1e-9
    call_seconds: float = 1.0


REGISTRY: dict[str, CaseSet] = {}


def _register(case_set: CaseSet) -> CaseSet:
    REGISTRY[case_set.name] = case_set
    return case_set


def get(name: str) -> CaseSet:
    """The case set of the function exercise ``name``; KeyError names the known ones."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no function exercise {name!r}; known: {', '.join(sorted(REGISTRY))}") from None


def draw(name: str, seed: int) -> list[Case]:
    """The hidden cases of exercise ``name`` for ``seed`` (the same seed, the same cases)."""
    return list(get(name).draw(random.Random(f"{name}/{int(seed)}")))


def expected(case_set: CaseSet, args) -> tuple[str, object]:
    """``("returned", value)`` from the reference, or ``("raised", "ValueError")``."""
    try:
        return "returned", case_set.reference(*args)
    except ValueError:
        return "raised", RAISES


def _unwrap(value):
    """A numpy scalar as the Python number it holds (the grader's answers file does the same)."""
    if type(value).__module__ == "numpy" and getattr(value, "shape", None) == ():
        try:
            return value.item()
        except (AttributeError, TypeError, ValueError):
            return value
    return value


def _close(expected_value, got, case_set: CaseSet) -> bool:
    if type(got) not in (int, float) or not math.isfinite(got):
        return False
    if case_set.returns == "count":
        return float(got) == float(expected_value) and float(got).is_integer()
    return math.isclose(got, expected_value, rel_tol=case_set.rel, abs_tol=case_set.absolute)


def same_outcome(case_set: CaseSet, want: tuple[str, object], got: tuple[str, object]) -> bool:
    """Whether the student's outcome ``got`` matches the reference's ``want``.

    Outcomes are ``("returned", value)``, ``("raised", exception type name)`` or
    ``("stopped", why)``; values are compared by the exercise's form and tolerance, exactly by
    type (a ``bool`` is not a number, a string holding a number is not one)."""
    if want[0] == "raised":
        return got[0] == "raised" and got[1] in (RAISES, "InputError")
    if got[0] != "returned":
        return False
    value = _unwrap(got[1])
    if case_set.returns == "indices":
        return type(value) is list and all(type(i) is int for i in value) and value == list(want[1])
    return _close(want[1], value, case_set)


def form_problem(case_set: CaseSet, value) -> str | None:
    """What is wrong with the form of an output (never its value), or None."""
    value = _unwrap(value)
    if case_set.returns == "indices":
        if type(value) is not list or not all(type(i) is int for i in value):
            return "should return a list of whole-number positions (e.g. [0, 3])"
        return None
    if type(value) not in (int, float):
        return "should return a plain number (int or float)"
    if not math.isfinite(value):
        return "returned NaN or an infinity"
    if case_set.returns == "count" and not float(value).is_integer():
        return "should return a whole number"
    return None


def _pick(rng: random.Random, low: float, high: float, digits: int = 4) -> float:
    return round(rng.uniform(low, high), digits)


# --------------------------------------------------------------------------------------------
# 01 ML lifecycle: the iteration tax


def _whole_experiments(window_weeks, run_hours):
    from mlsys_lab.science import iteration

    return iteration.experiments_in_window(window_weeks, run_hours)


def _draw_whole_experiments(rng: random.Random) -> list:
    weeks = rng.randint(2, 30)
    exact = rng.choice([6, 8, 12, 21, 24, 28])  # divides 168 h, so runs fill the weeks exactly
    return [
        Case("an ordinary window", (weeks, _pick(rng, 5, 90, 1))),
        Case("an ordinary window", (rng.randint(2, 30), _pick(rng, 5, 90, 1))),
        Case("runs that exactly fill the window", (rng.randint(1, 12), exact)),
        Case("a run longer than the whole window", (1, _pick(rng, 170, 400, 1))),
        Case("runs shorter than an hour", (rng.randint(1, 4), rng.choice([0.25, 0.5, 0.75]))),
        Case("a run of zero hours", (rng.randint(1, 10), 0)),
    ]


_register(
    CaseSet(
        name="whole_experiments",
        example=(10, 36),
        draw=_draw_whole_experiments,
        reference=_whole_experiments,
        guards=("mlsys_lab.science.iteration:experiments_in_window",),
        returns="count",
    )
)


def _hours_to_target(start, gain, target, run_hours):
    from mlsys_lab.science import iteration

    return float(iteration.time_to_target(start, gain, target, run_hours).to("hour").magnitude)


def _draw_hours_to_target(rng: random.Random) -> list:
    def climb():
        start = _pick(rng, 0.70, 0.93, 3)
        return (start, _pick(rng, 0.001, 0.01, 4), round(start + _pick(rng, 0.02, 0.06, 3), 3), rng.choice([2, 12, 36]))

    start = rng.choice([0.80, 0.85])
    gain = rng.choice([0.01, 0.02, 0.03])
    steps = rng.randint(2, 5)
    return [
        Case("an ordinary climb", climb()),
        Case("an ordinary climb", climb()),
        Case("a climb that lands exactly on the target", (start, gain, round(start + steps * gain, 2), 24)),
        Case("a start already at or above the target", (0.93, 0.002, _pick(rng, 0.85, 0.93, 3), 24)),
        Case("a gain that passes the target in one run", (0.90, 0.05, _pick(rng, 0.905, 0.949, 3), 10)),
        Case("no gain per run while below the target", (0.80, 0, 0.85, 24)),
    ]


_register(
    CaseSet(
        name="hours_to_target",
        example=(0.95, 0.0015, 0.989, 168),
        draw=_draw_hours_to_target,
        reference=_hours_to_target,
        guards=("mlsys_lab.science.iteration:time_to_target", "mlsys_lab.science.iteration:iterations_to_reach"),
    )
)


# --------------------------------------------------------------------------------------------
# 02 from problem to model: screening at a prevalence


def _ppv_at(sensitivity, specificity, prevalence):
    from mlsys_lab.science import screening

    return screening.ppv(sensitivity, specificity, prevalence)


def _draw_ppv_at(rng: random.Random) -> list:
    def ordinary():
        return (_pick(rng, 0.80, 0.98), _pick(rng, 0.70, 0.97), _pick(rng, 0.03, 0.30))

    return [
        Case("an ordinary screening programme", ordinary()),
        Case("an ordinary screening programme", ordinary()),
        Case(
            "a rare condition (under 1 %)", (_pick(rng, 0.85, 0.98), _pick(rng, 0.85, 0.98), _pick(rng, 0.001, 0.009))
        ),
        Case("a perfectly specific test", (_pick(rng, 0.6, 0.95), 1.0, _pick(rng, 0.01, 0.2))),
        Case("a population with no cases", (_pick(rng, 0.8, 0.95), _pick(rng, 0.8, 0.95), 0.0)),
        Case("a test that calls nobody positive", (0.0, 1.0, _pick(rng, 0.01, 0.2))),
    ]


_register(
    CaseSet(
        name="ppv_at",
        example=(0.90, 0.85, 0.10),
        draw=_draw_ppv_at,
        reference=_ppv_at,
        guards=("mlsys_lab.science.screening:ppv", "mlsys_lab.science.screening:expected_counts"),
    )
)


def _referrals_per_day(screened, sensitivity, specificity, prevalence):
    from mlsys_lab.science import screening

    return float(screening.expected_counts(screened, sensitivity, specificity, prevalence).referrals)


def _draw_referrals_per_day(rng: random.Random) -> list:
    def day():
        return (rng.randint(50, 5000), _pick(rng, 0.8, 0.98), _pick(rng, 0.7, 0.97), _pick(rng, 0.03, 0.3))

    return [
        Case("an ordinary clinic day", day()),
        Case("an ordinary clinic day", day()),
        Case("a perfect test", (rng.randint(50, 5000), 1.0, 1.0, _pick(rng, 0.03, 0.3))),
        Case("a population with no cases", (rng.randint(50, 5000), _pick(rng, 0.8, 0.98), _pick(rng, 0.7, 0.97), 0.0)),
        Case("a single person screened", (1, _pick(rng, 0.8, 0.98), _pick(rng, 0.7, 0.97), _pick(rng, 0.03, 0.3))),
        Case("a clinic that screened nobody", (0, 0.9, 0.8, 0.1)),
    ]


_register(
    CaseSet(
        name="referrals_per_day",
        example=(1000, 0.90, 0.85, 0.10),
        draw=_draw_referrals_per_day,
        reference=_referrals_per_day,
        guards=("mlsys_lab.science.screening:expected_counts",),
    )
)


# --------------------------------------------------------------------------------------------
# 03 validation to monitoring: drift


def _psi_monitor(expected_shares, observed_shares):
    from mlsys_lab.science import drift

    return drift.psi(expected_shares, observed_shares)


def _shares(rng: random.Random, bins: int) -> list:
    weights = [rng.uniform(0.5, 3.0) for _ in range(bins)]
    total = sum(weights)
    return [round(w / total, 4) for w in weights]


def _draw_psi_monitor(rng: random.Random) -> list:
    bins = rng.randint(4, 8)
    ref, new = _shares(rng, bins), _shares(rng, bins)
    empty_new = list(new)
    empty_new[rng.randrange(bins)] = 0.0
    empty_ref = list(ref)
    empty_ref[rng.randrange(bins)] = 0.0
    counts_ref = [rng.randint(20, 400) for _ in range(bins)]
    counts_new = [rng.randint(20, 400) for _ in range(bins)]
    return [
        Case("an ordinary shift", (ref, new)),
        Case("an ordinary shift", tuple(_shares(rng, 5) for _ in range(2))),
        Case("an empty bin in the new window", (ref, empty_new)),
        Case("an empty bin in the reference window", (empty_ref, new)),
        Case("identical windows", (ref, list(ref))),
        Case("counts instead of shares", (counts_ref, counts_new)),
        Case("windows with different numbers of bins", (ref, _shares(rng, bins + 1))),
    ]


_register(
    CaseSet(
        name="psi_monitor",
        example=([0.25, 0.25, 0.25, 0.25], [0.10, 0.20, 0.30, 0.40]),
        draw=_draw_psi_monitor,
        reference=_psi_monitor,
        guards=("mlsys_lab.science.drift:psi", "mlsys_lab.science.drift:psi_from_samples"),
    )
)


def _ks_distance(sample_a, sample_b):
    from mlsys_lab.science import drift

    return drift.ks_statistic(sample_a, sample_b)


def _sample(rng: random.Random, n: int, low: float, high: float) -> list:
    return [round(rng.uniform(low, high), 2) for _ in range(n)]


def _draw_ks_distance(rng: random.Random) -> list:
    a = _sample(rng, rng.randint(8, 20), 0, 10)
    tied = [float(rng.randint(0, 4)) for _ in range(rng.randint(8, 15))]
    return [
        Case("overlapping samples", (a, _sample(rng, len(a), 2, 12))),
        Case("identical samples", (a, list(reversed(a)))),
        Case("samples that do not overlap", (_sample(rng, 6, 0, 1), _sample(rng, 9, 5, 6))),
        Case("samples with repeated values", (tied, [float(rng.randint(1, 5)) for _ in range(len(tied) + 3)])),
        Case("samples of different sizes", (_sample(rng, 5, 0, 10), _sample(rng, 17, 0, 10))),
        Case("a sample of one value", ([round(rng.uniform(0, 10), 2)], _sample(rng, 7, 0, 10))),
        Case("an empty sample", ([], _sample(rng, 5, 0, 10))),
    ]


_register(
    CaseSet(
        name="ks_distance",
        example=([1.0, 2.0, 3.0, 4.0], [2.5, 3.5, 4.5, 5.5]),
        draw=_draw_ks_distance,
        reference=_ks_distance,
        guards=("mlsys_lab.science.drift:ks_statistic", "mlsys_lab.science.drift:ks_test"),
    )
)


# --------------------------------------------------------------------------------------------
# 04 workflow systems thinking: exposure and propagation


def _requests_before_rollback(requests_per_second, delays_hours):
    from mlsys_lab.science import rollout

    return rollout.requests_exposed(requests_per_second, *delays_hours)


def _draw_requests_before_rollback(rng: random.Random) -> list:
    return [
        Case("a single delay", (_pick(rng, 0.5, 40, 2), [_pick(rng, 0.1, 6, 2)])),
        Case("several delays in a row", (_pick(rng, 0.5, 40, 2), [_pick(rng, 0.1, 6, 2) for _ in range(3)])),
        Case("a delay of zero hours among them", (_pick(rng, 0.5, 40, 2), [_pick(rng, 0.5, 4, 2), 0, 1.5])),
        Case("a quiet service (under one request a second)", (_pick(rng, 0.01, 0.9, 3), [_pick(rng, 1, 48, 1)])),
        Case("no delays at all", (_pick(rng, 1, 20, 2), [])),
        Case("a zero-traffic window", (0, [_pick(rng, 0.5, 6, 2)])),
    ]


_register(
    CaseSet(
        name="requests_before_rollback",
        example=(12.0, [0.5, 2.0]),
        draw=_draw_requests_before_rollback,
        reference=_requests_before_rollback,
        guards=("mlsys_lab.science.rollout:requests_exposed",),
    )
)


def _fix_cost_ratio(earlier, later):
    from mlsys_lab.science import propagation

    return propagation.stage_ratio(earlier, later)


def _draw_fix_cost_ratio(rng: random.Random) -> list:
    first = rng.randint(1, 4)
    same = rng.randint(1, 6)
    return [
        Case("stages two or more apart", (first, rng.randint(first + 2, 6))),
        Case("adjacent stages", (first, first + 1)),
        Case("the same stage", (same, same)),
        Case("the first and the last stage", (1, 6)),
        Case("stages given in the wrong order", (rng.randint(3, 6), rng.randint(1, 2))),
        Case("a stage outside 1 to 6", (rng.randint(1, 3), rng.choice([0, 7, 9]))),
    ]


_register(
    CaseSet(
        name="fix_cost_ratio",
        example=(2, 4),
        draw=_draw_fix_cost_ratio,
        reference=_fix_cost_ratio,
        guards=(
            "mlsys_lab.science.propagation:stage_ratio",
            "mlsys_lab.science.propagation:cost_multiplier",
            "mlsys_lab.science.propagation:multiplier_table",
        ),
        returns="count",
    )
)


# --------------------------------------------------------------------------------------------
# 05 lighthouses and invariants: roofline and Pareto


def _attainable_tflops(intensity, peak_tflops, bandwidth_gbs):
    from mlsys_lab.science import roofline

    return float(roofline.attainable_performance(intensity, peak_tflops, bandwidth_gbs).to("TFLOP / s").magnitude)


def _draw_attainable_tflops(rng: random.Random) -> list:
    def device():
        return _pick(rng, 20, 1000, 1), _pick(rng, 200, 4000, 0)

    peak, bw = device()
    ridge = peak * 1000 / bw
    peak2, bw2 = device()
    ridge2 = peak2 * 1000 / bw2
    return [
        Case("a memory-bound kernel", (round(ridge * rng.uniform(0.05, 0.7), 3), peak, bw)),
        Case("a compute-bound kernel", (round(ridge * rng.uniform(1.5, 8), 3), peak, bw)),
        Case("a compute-bound kernel", (round(ridge2 * rng.uniform(1.5, 8), 3), peak2, bw2)),
        Case("a kernel exactly at the ridge point", (1000.0, 500.0, 500.0)),
        Case("a kernel with no arithmetic", (0.0, peak2, bw2)),
        Case("a device with zero bandwidth", (10.0, peak, 0.0)),
    ]


_register(
    CaseSet(
        name="attainable_tflops",
        example=(50.0, 989.0, 3350.0),
        draw=_draw_attainable_tflops,
        reference=_attainable_tflops,
        guards=("mlsys_lab.science.roofline:attainable_performance", "mlsys_lab.science.roofline:roofline_curve"),
    )
)


def _pareto_designs(accuracies, latencies):
    from mlsys_lab.science import pareto

    return [int(i) for i in pareto.pareto_front(accuracies, latencies)]


def _cloud(rng: random.Random, n: int) -> tuple[list, list]:
    return [round(rng.uniform(0.6, 0.95), 3) for _ in range(n)], [round(rng.uniform(2, 80), 1) for _ in range(n)]


def _draw_pareto_designs(rng: random.Random) -> list:
    acc, lat = _cloud(rng, rng.randint(6, 10))
    dup_acc, dup_lat = _cloud(rng, 5)
    dup_acc.append(max(dup_acc))
    dup_lat.append(dup_lat[dup_acc.index(max(dup_acc))])
    best_acc, best_lat = _cloud(rng, 6)
    best_acc[2], best_lat[2] = 0.99, 1.0
    tie_acc, tie_lat = _cloud(rng, 6)
    tie_lat[1] = tie_lat[4] = min(tie_lat)
    return [
        Case("an ordinary cloud of designs", (acc, lat)),
        Case("an ordinary cloud of designs", _cloud(rng, 8)),
        Case("a single design", ([round(rng.uniform(0.6, 0.95), 3)], [round(rng.uniform(2, 80), 1)])),
        Case("two identical designs", (dup_acc, dup_lat)),
        Case("one design that beats all others", (best_acc, best_lat)),
        Case("designs with equal latency", (tie_acc, tie_lat)),
        Case("lists of different lengths", (acc, lat[:-1])),
    ]


_register(
    CaseSet(
        name="pareto_designs",
        example=([0.80, 0.85, 0.83, 0.90], [10.0, 20.0, 25.0, 40.0]),
        draw=_draw_pareto_designs,
        reference=_pareto_designs,
        guards=("mlsys_lab.science.pareto:pareto_front", "mlsys_lab.science.pareto:dominates"),
        returns="indices",
    )
)


# --------------------------------------------------------------------------------------------
# 06 practice and the future: composed requests and fleets


def _composed_latency_ms(serial_ms, parallel_ms, orchestration_ms):
    from mlsys_lab.science import latency

    return float(latency.composed_latency(serial_ms, parallel_ms, orchestration_ms).total.to("ms").magnitude)


def _ms(rng: random.Random, n: int) -> list:
    return [_pick(rng, 1, 120, 1) for _ in range(n)]


def _draw_composed_latency_ms(rng: random.Random) -> list:
    return [
        Case("serial stages and parallel branches", (_ms(rng, 3), _ms(rng, 3), _pick(rng, 1, 20, 1))),
        Case("serial stages and parallel branches", (_ms(rng, 2), _ms(rng, 4), _pick(rng, 1, 20, 1))),
        Case("a single stage", (_ms(rng, 1), [], 0.0)),
        Case("parallel branches only", ([], _ms(rng, 3), _pick(rng, 1, 20, 1))),
        Case("no orchestration overhead", (_ms(rng, 2), _ms(rng, 2), 0.0)),
        Case("a negative stage latency", ([_pick(rng, 1, 50, 1), -_pick(rng, 1, 50, 1)], _ms(rng, 2), 5.0)),
    ]


_register(
    CaseSet(
        name="composed_latency_ms",
        example=([12.0, 30.0], [45.0, 60.0, 52.0], 8.0),
        draw=_draw_composed_latency_ms,
        reference=_composed_latency_ms,
        guards=(
            "mlsys_lab.science.latency:composed_latency",
            "mlsys_lab.science.latency:serial_latency",
            "mlsys_lab.science.latency:parallel_latency",
        ),
    )
)


def _failure_chance(window_hours, mttf_years, devices):
    from mlsys_lab.science import reliability

    return reliability.failure_probability(window_hours, mttf_years, devices)


def _draw_failure_chance(rng: random.Random) -> list:
    return [
        Case("a single device", (_pick(rng, 24, 2000, 0), _pick(rng, 1, 10, 2), 1)),
        Case("a large fleet", (_pick(rng, 1, 48, 1), _pick(rng, 2, 10, 2), rng.randint(500, 20000))),
        Case("a large fleet", (_pick(rng, 1, 48, 1), _pick(rng, 2, 10, 2), rng.randint(500, 20000))),
        Case("a zero-length window", (0, _pick(rng, 1, 10, 2), rng.randint(2, 5000))),
        Case("a fraction of a device", (24, 5.0, rng.choice([0.5, 2.5, 10.25]))),
        Case("no devices at all", (24, 5.0, 0)),
    ]


_register(
    CaseSet(
        name="failure_chance",
        example=(24, 5.7, 1024),
        draw=_draw_failure_chance,
        reference=_failure_chance,
        guards=(
            "mlsys_lab.science.reliability:failure_probability",
            "mlsys_lab.science.reliability:expected_failures",
            "mlsys_lab.science.reliability:fleet_mtbf",
        ),
    )
)
