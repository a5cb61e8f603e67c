"""Small plots, one per quantitative invariant, over the course's calculators.

Follows *Conclusion*, §Thirteen Quantitative Invariants (table of the thirteen principles)
and §Synthesizing ML Systems (the fleet story, the MobileNetV2 journey). Every number comes
from a calculator module (:mod:`mlsys_lab.science.roofline`, :mod:`~mlsys_lab.science.pareto`,
:mod:`~mlsys_lab.science.amdahl`, :mod:`~mlsys_lab.data.skew`, :mod:`~mlsys_lab.science.latency`,
:mod:`~mlsys_lab.science.feedback`); this module only draws.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import numpy as np
from matplotlib.figure import Figure

from ..data import skew as sk
from ..facts import constants as C
from ..science import amdahl as am
from ..science import feedback as fb
from ..science import latency as lt
from ..science import pareto as pa
from ..science import roofline as rf
from ..units import Number
from . import alt_text, figure_or_note

__all__ = [
    "plot_iron_law_terms",
    "plot_pareto",
    "plot_amdahl",
    "plot_fleet_cohorts",
    "plot_drift",
    "plot_skew",
    "plot_latency_budget",
    "plot_bias_feedback",
]


def _figure(width: float = 7.0, height: float = 4.0):
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


@figure_or_note
def plot_iron_law_terms(scenarios: Mapping[str, Any]) -> Figure:
    """Each scenario's iron-law terms as shares of its own total (stacked bars, %).

    ``scenarios`` maps a label to a :class:`mlsys_lab.science.roofline.IronLawResult` (for example
    from :func:`mlsys_lab.facts.lighthouses.iron_law`) or to keyword arguments of
    :func:`mlsys_lab.science.roofline.iron_law_time`. Shares, not times, are drawn because the
    scenarios' totals differ by orders of magnitude; each bar is labelled with its total.
    """
    fig, ax = _figure(7.0, 1.4 + 0.7 * len(scenarios))
    labels = list(scenarios)
    left = np.zeros(len(labels))
    results = [s if isinstance(s, rf.IronLawResult) else rf.iron_law_time(**s) for s in scenarios.values()]
    totals = np.array([r.total.to("ms").magnitude for r in results])
    parts = (("data movement", "data_time", "C0"), ("compute", "compute_time", "C1"), ("overhead", "latency", "C2"))
    for name, attr, color in parts:
        values = 100 * np.array([getattr(r, attr).to("ms").magnitude for r in results]) / totals
        ax.barh(labels, values, left=left, color=color, label=name)
        left += values
    for y, total in enumerate(totals):
        ax.text(101, y, f"total {total:.3g} ms", va="center", fontsize=8)
    ax.set_xlim(0, 125)
    ax.set_xlabel("share of the step's time (%)")
    ax.set_title("Iron law: which term dominates")
    ax.invert_yaxis()
    fig.legend(fontsize=8, loc="outside lower center", ncol=3)
    summary = "; ".join(
        f"{label}: {r.dominant} dominates (total {t:.3g} ms)" for label, r, t in zip(labels, results, totals)
    )
    return alt_text(
        fig,
        "Horizontal stacked bars, one per workload, splitting each step's time "
        "into data movement, compute and overhead as shares of its total. " + summary + ".",
    )


@figure_or_note
def plot_pareto(candidates: pa.Candidates | None = None, budget_ms: Number | None = None) -> Figure:
    """Candidate designs (accuracy % against latency ms) with the Pareto frontier joined.

    Defaults to :func:`mlsys_lab.science.pareto.synthetic_candidates`. With ``budget_ms`` a dotted
    line marks a latency budget: only designs left of it are admissible.
    """
    cands = candidates if candidates is not None else pa.synthetic_candidates()
    front = cands.front
    fig, ax = _figure()
    ax.scatter(cands.latency_ms, 100 * cands.accuracy, color="0.6", s=20, label="candidates")
    ax.plot(cands.latency_ms[front], 100 * cands.accuracy[front], color="C3", marker="o", label="Pareto frontier")
    if budget_ms is not None:
        ax.axvline(float(budget_ms), color="0.3", linestyle=":", label="latency budget")
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("accuracy (%)")
    ax.set_title("No free lunch: the accuracy-latency frontier")
    ax.legend(fontsize=8, loc="lower right")
    budget = (
        f" A dotted vertical line marks a {float(budget_ms):g} ms budget; only designs left of it are admissible."
        if budget_ms is not None
        else ""
    )
    return alt_text(
        fig,
        f"Scatter of {len(cands.accuracy)} candidate designs, accuracy against "
        f"latency on a log scale, with the {len(front)} Pareto-optimal ones "
        "joined by a line that rises to the right: more accuracy always costs "
        "more latency along the frontier." + budget,
    )


@figure_or_note
def plot_amdahl(fractions: Iterable[float] = (0.5, 0.9, 0.99), max_factor: float = 1000.0) -> Figure:
    """Whole-system speedup against the accelerated part's speedup, per accelerated fraction.

    Dotted lines mark each fraction's ceiling ``1 / (1 - f)``.
    """
    factors = np.logspace(0, np.log10(max_factor), 40)
    fig, ax = _figure()
    for i, f in enumerate(fractions):
        ax.loglog(factors, am.amdahl_curve(f, factors), color=f"C{i}", label=f"{f:.0%} of the time accelerated")
        ceiling = am.amdahl_limit(f)
        if np.isfinite(ceiling):
            ax.axhline(ceiling, color=f"C{i}", linestyle=":", linewidth=1)
    ax.set_xlabel("speedup of the accelerated part (x)")
    ax.set_ylabel("whole-system speedup (x)")
    ax.set_title("Amdahl's law: the untouched part sets the ceiling")
    ax.legend(fontsize=8, loc="upper left")
    ceilings = ", ".join(
        f"{f:.0%} accelerated levels off at {am.amdahl_limit(f):.3g}x"
        for f in fractions
        if np.isfinite(am.amdahl_limit(f))
    )
    return alt_text(
        fig,
        "Log-log curves of whole-system speedup against the speedup of the "
        "accelerated part, one per accelerated fraction, each flattening "
        f"towards a dotted ceiling: {ceilings}.",
    )


@figure_or_note
def plot_fleet_cohorts(result: sk.FleetResult | None = None) -> Figure:
    """Accuracy loss (percentage points) and drift score (PSI) per firmware cohort, with the
    fleet-wide loss as a dashed line (:func:`mlsys_lab.data.skew.fleet_skew`)."""
    res = result if result is not None else sk.fleet_skew()
    names = [c.name for c in res.cohorts]
    fig = Figure(figsize=(8.0, 3.6), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    ax1.bar(names, [100 * c.accuracy_drop for c in res.cohorts], color="C3")
    ax1.axhline(100 * res.fleet_drop, color="0.3", linestyle="--", label="whole fleet")
    ax1.set_ylabel("accuracy lost (percentage points)")
    ax1.set_title("Per-cohort accuracy loss")
    ax1.legend(fontsize=8)
    ax2.bar(names, [c.psi for c in res.cohorts], color="C0")
    ax2.axhline(float(C.PSI_STABLE_BELOW.magnitude), color="C2", linestyle=":", label="stable / moderate")
    ax2.axhline(float(C.PSI_SIGNIFICANT_ABOVE.magnitude), color="C3", linestyle=":", label="moderate / significant")
    ax2.set_ylabel("PSI of the brightness the model sees")
    ax2.set_title("Per-cohort drift score")
    ax2.legend(fontsize=8)
    cohorts = "; ".join(
        f"{c.name}: {100 * c.accuracy_drop:.2f} points lost, PSI {c.psi:.3f} ({c.band})" for c in res.cohorts
    )
    return alt_text(
        fig,
        "Two bar charts per firmware cohort: accuracy lost, with the fleet-wide "
        f"loss of {100 * res.fleet_drop:.2f} points as a dashed line, and the "
        f"drift score with the PSI band limits. {cohorts}. The fleet average "
        "hides the one cohort that fails.",
    )


@figure_or_note
def plot_drift(shifts: Iterable[float] = tuple(range(0, 31, 5))) -> Figure:
    """PSI and accuracy as the scene lighting drifts (:func:`mlsys_lab.data.skew.simulate_drift`)."""
    points = sk.simulate_drift(tuple(shifts))
    x = [p.shift for p in points]
    fig, ax = _figure()
    ax.plot(x, [100 * p.accuracy for p in points], color="C3", marker="o", label="accuracy")
    ax.set_xlabel("lighting shift (raw brightness units)")
    ax.set_ylabel("accuracy (%)", color="C3")
    ax2 = ax.twinx()
    ax2.plot(x, [p.psi for p in points], color="C0", marker="s", label="PSI")
    ax2.axhline(float(C.PSI_SIGNIFICANT_ABOVE.magnitude), color="C0", linestyle=":", linewidth=1)
    ax2.set_ylabel("PSI (drift score)", color="C0")
    ax2.grid(False)
    ax.set_title("The world drifts, the code does not: accuracy erodes")
    first, last = points[0], points[-1]
    return alt_text(
        fig,
        "Two lines against the lighting shift: accuracy falls from "
        f"{first.accuracy:.1%} to {last.accuracy:.1%} while the PSI drift score "
        f"rises from {first.psi:.2f} to {last.psi:.2f}, crossing the dotted "
        "significant-drift line.",
    )


@figure_or_note
def plot_skew(offsets: Iterable[float] = tuple(range(0, 25, 3)), serving_scale: float = 1.0) -> Figure:
    """Skew gap E|f_serve - f_train| and accuracy loss against a serving-path brightness
    offset (:func:`mlsys_lab.data.skew.simulate_skew`)."""
    res = [sk.simulate_skew(serving_scale, o) for o in offsets]
    x = list(offsets)
    fig, ax = _figure()
    ax.plot(x, [100 * r.gap for r in res], color="C0", marker="o", label="E|f_serve - f_train| (points of probability)")
    ax.plot(x, [100 * r.accuracy_drop for r in res], color="C3", marker="s", label="accuracy lost (percentage points)")
    ax.set_xlabel("serving-path brightness offset (raw units)")
    ax.set_ylabel("percentage points")
    ax.set_title("Training-serving skew: same weights, different preprocessing")
    ax.legend(fontsize=8, loc="upper left")
    return alt_text(
        fig,
        "Two rising lines against the serving-path brightness offset: the gap "
        "between serving and training outputs, and the accuracy lost, which "
        f"reaches {100 * res[-1].accuracy_drop:.2f} points at an offset of "
        f"{x[-1]:g}, with no change to the weights.",
    )


@figure_or_note
def plot_latency_budget(stages: Mapping[str, Any], budget: Number) -> Figure:
    """One stacked bar of serial stage latencies (ms) against a budget line
    (:func:`mlsys_lab.science.latency.serial_latency`, :func:`~mlsys_lab.science.latency.budget_check`)."""
    total = lt.serial_latency(*stages.values())
    check = lt.budget_check(total, budget)
    fig, ax = _figure(7.0, 2.8)
    left = 0.0
    for i, (name, t) in enumerate(stages.items()):
        ms = lt.serial_latency(t).to("ms").magnitude
        ax.barh(["request"], [ms], left=left, color=f"C{i}", label=name)
        left += ms
    ax.axvline(check.budget.to("ms").magnitude, color="black", linestyle="--", label="budget")
    ax.set_xlabel("latency (ms)")
    ax.set_title("Latency budget: serial stages add up")
    fig.legend(fontsize=8, loc="outside lower center", ncol=min(5, len(stages) + 1))
    parts = ", ".join(f"{name} {lt.serial_latency(t).to('ms').magnitude:g} ms" for name, t in stages.items())
    return alt_text(
        fig,
        f"One horizontal bar of the request's serial stages ({parts}) adding "
        f"up to {check.total.to('ms').magnitude:g} ms, against a dashed budget "
        f"line at {check.budget.to('ms').magnitude:g} ms: " + ("within budget." if check.within else "over budget."),
    )


@figure_or_note
def plot_bias_feedback(initial_gap: float = 1.0, alphas: Iterable[float] = (1.1, 1.3, 1.5), cycles: int = 8) -> Figure:
    """Subgroup disparity against decision cycles for several feedback factors
    (:func:`mlsys_lab.science.feedback.bias_trajectory`)."""
    fig, ax = _figure()
    k = np.arange(cycles + 1)
    for i, a in enumerate(alphas):
        ax.plot(k, fb.bias_trajectory(initial_gap, a, cycles), color=f"C{i}", marker="o", label=f"alpha = {a:g}")
    ax.set_xlabel("decision cycle k")
    ax.set_ylabel("subgroup disparity (percentage points)")
    ax.set_title("Bias feedback: a small gap compounds")
    ax.legend(fontsize=8, loc="upper left")
    ends = ", ".join(f"alpha {a:g} reaches {fb.bias_trajectory(initial_gap, a, cycles)[-1]:.2f}" for a in alphas)
    return alt_text(
        fig,
        f"Curves of a subgroup gap that starts at {initial_gap:g} point and "
        f"grows geometrically over {cycles} decision cycles, one per feedback "
        f"factor: {ends} points.",
    )
