"""Plots and a widget for time budgets: iron-law terms and composed requests.

* :func:`plot_iron_law_terms` draws the three iron-law terms of several scenarios side by
  side (Conclusion, §Principles in Practice, engineering for scale: data parallelism,
  mixed precision and gradient checkpointing each pull a different term).
* :func:`plot_composed_request` and :func:`composed_request_widget` show one fanned-out
  request (Conclusion, §Future Directions, system composition): serial stages add, parallel
  tool calls cost their slowest member, orchestration comes on top, and every component
  must work for the request to succeed.

Every number comes from :mod:`mlsys_lab.science.roofline` and :mod:`mlsys_lab.science.latency`; this module
only draws and wires sliders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..science import latency as lat
from ..units import Number
from . import alt_text, figure_or_note, show_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "EXAMPLE_BEFORE",
    "EXAMPLE_TOOLS",
    "EXAMPLE_AFTER",
    "EXAMPLE_ORCHESTRATION",
    "plot_iron_law_terms",
    "plot_composed_request",
    "composed_request_widget",
]

#: The notebook's worked example of a fanned-out assistant request (ms): an illustration
#: with made-up stage times, not measurements.
EXAMPLE_BEFORE: tuple = (("retrieval", 40), ("planner", 120))
EXAMPLE_TOOLS: tuple = (("tool A", 180), ("tool B", 250))
EXAMPLE_AFTER: tuple = (("generator", 600), ("verifier", 90))
EXAMPLE_ORCHESTRATION = 30

_TERM_COLOURS = {"data movement": "C0", "compute": "C1", "overhead": "C7"}


@figure_or_note
def plot_iron_law_terms(results: Mapping[str, Any], title: str = "Iron-law terms per step") -> Figure:
    """Stacked horizontal bars of the three iron-law terms (ms), one bar per scenario.

    ``results`` maps a scenario label to an :class:`mlsys_lab.science.roofline.IronLawResult`.
    """
    from matplotlib.figure import Figure

    labels = list(results)
    fig = Figure(figsize=(7.5, 0.7 * len(labels) + 1.6), layout="constrained")
    ax = fig.subplots()
    for row, label in enumerate(labels):
        r = results[label]
        left = 0.0
        for term, value in (("data movement", r.data_time), ("compute", r.compute_time), ("overhead", r.latency)):
            width = value.to("ms").magnitude
            ax.barh(row, width, left=left, color=_TERM_COLOURS[term], label=term if row == 0 else None)
            left += width
        ax.annotate(
            f"{r.total.to('ms').magnitude:,.0f} ms",
            (left, row),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("time per step (ms)")
    ax.set_title(title)
    ax.margins(x=0.15)
    ax.legend(loc="lower right", fontsize=8)

    def ms(value) -> str:
        return f"{value.to('ms').magnitude:,.3g} ms"

    bars = "; ".join(
        f"{label}: data movement {ms(r.data_time)}, compute {ms(r.compute_time)}, overhead "
        f"{ms(r.latency)}, total {ms(r.total)}, {r.dominant} dominates"
        for label, r in results.items()
    )
    return alt_text(
        fig,
        f"Horizontal stacked bars titled '{title}', one per scenario, each splitting the time of "
        f"one step in milliseconds into data movement, compute and overhead, end to end. {bars}.",
    )


def _named(stages: Sequence, name: str) -> list[tuple[str, Any]]:
    out = []
    for i, s in enumerate(stages):
        if isinstance(s, (tuple, list)) and len(s) == 2:
            out.append((str(s[0]), s[1]))
        else:
            out.append((f"{name} {i + 1}", s))
    return out


@figure_or_note
def plot_composed_request(
    before: Sequence = EXAMPLE_BEFORE,
    tools: Sequence = EXAMPLE_TOOLS,
    after: Sequence = EXAMPLE_AFTER,
    orchestration: Number = EXAMPLE_ORCHESTRATION,
    budget: Number | None = None,
) -> Figure:
    """Timeline (ms) of one composed request: serial stages, a parallel fan-out, more
    serial stages, then the orchestration overhead.

    ``before``, ``tools`` and ``after`` are sequences of ``(name, latency)`` pairs (plain
    latencies in ms) or bare latencies. The total is
    :func:`mlsys_lab.science.latency.composed_latency`; ``budget`` (ms) draws a vertical line.
    """
    from matplotlib.figure import Figure

    before, tools, after = _named(before, "stage"), _named(tools, "tool"), _named(after, "stage")
    serial = [t for _, t in before] + [t for _, t in after]
    result = lat.composed_latency(serial=serial, parallel=[t for _, t in tools], orchestration=orchestration)
    rows: list[tuple[str, float, float, str]] = []  # name, start, duration, colour
    clock = lat.serial_latency()
    for name, t in before:
        d = lat.serial_latency(t)
        rows.append((name, clock.magnitude, d.magnitude, "C0"))
        clock = lat.serial_latency(clock, d)
    for name, t in tools:
        rows.append((name, clock.magnitude, lat.serial_latency(t).magnitude, "C2"))
    clock = lat.serial_latency(clock, result.parallel)
    for name, t in after:
        d = lat.serial_latency(t)
        rows.append((name, clock.magnitude, d.magnitude, "C0"))
        clock = lat.serial_latency(clock, d)
    rows.append(("orchestration", clock.magnitude, result.orchestration.magnitude, "C7"))

    fig = Figure(figsize=(7.5, 0.38 * len(rows) + 1.6), layout="constrained")
    ax = fig.subplots()
    for i, (_name, start, duration, colour) in enumerate(rows):
        ax.barh(i, duration, left=start, color=colour)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    total = result.total.to("ms").magnitude
    ax.axvline(total, color="k", linewidth=1)
    ax.annotate(
        f"end to end {total:,.0f} ms",
        (total, len(rows) - 1),
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        va="center",
        fontsize=9,
    )
    if budget is not None:
        b = lat.serial_latency(budget).magnitude
        ax.axvline(b, color="C3", linestyle="--", linewidth=1.2)
        ax.annotate(
            f"budget {b:,.0f} ms",
            (b, 0),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color="C3",
        )
    ax.set_xlabel("time since the request arrived (ms)")
    ax.set_title("A composed request: serial stages add, parallel tools cost their slowest")

    def timed(stages) -> str:
        return ", ".join(f"{name} {lat.serial_latency(t).magnitude:,.0f} ms" for name, t in stages)

    steps = []
    if before:
        steps.append(f"one after another, {timed(before)}")
    if tools:
        steps.append(
            f"side by side, {timed(tools)}, costing only the slowest, {result.parallel.to('ms').magnitude:,.0f} ms"
        )
    if after:
        steps.append(f"one after another, {timed(after)}")
    steps.append(f"the orchestration overhead, {result.orchestration.to('ms').magnitude:,.0f} ms")
    text = (
        "Timeline of one composed request, a horizontal bar per component placed at its start "
        "time, in milliseconds since the request arrived: "
        + "; then ".join(steps)
        + f". A vertical line marks the end to end time, {total:,.0f} ms."
    )
    if budget is not None:
        verdict = lat.budget_check(result.total, budget)
        text += f" A dashed line marks the {verdict.budget.to('ms').magnitude:,.0f} ms budget: the request " + (
            f"finishes {verdict.headroom.to('ms').magnitude:,.0f} ms inside it."
            if verdict.within
            else f"overruns it by {verdict.overshoot.to('ms').magnitude:,.0f} ms."
        )
    return alt_text(fig, text)


def composed_request_widget(
    retrieval: float = 40,
    planner: float = 120,
    tool_a: float = 180,
    tool_b: float = 250,
    generator: float = 600,
    verifier: float = 90,
    orchestration: float = 30,
    budget: float = 1500,
    availability: float = 0.995,
):
    """Sliders for each stage of a fanned-out request (ms), its budget and the availability
    of each of its six components; prints the end-to-end latency
    (:func:`mlsys_lab.science.latency.composed_latency`), the budget verdict
    (:func:`~mlsys_lab.science.latency.budget_check`) and the chance that every component works
    (:func:`~mlsys_lab.science.latency.composed_availability`), and draws the timeline. Works once,
    statically, too (Conclusion, §Future Directions, system composition).
    """
    import ipywidgets as widgets

    def show(retrieval, planner, tool_a, tool_b, generator, verifier, orchestration, budget, availability) -> None:
        result = lat.composed_latency(
            serial=[retrieval, planner, generator, verifier], parallel=[tool_a, tool_b], orchestration=orchestration
        )
        verdict = lat.budget_check(result.total, budget)
        works = lat.composed_availability([availability] * 6)
        print(
            f"serial stages {result.serial.magnitude:,.0f} ms + slowest tool "
            f"{result.parallel.magnitude:,.0f} ms + orchestration "
            f"{result.orchestration.magnitude:,.0f} ms = {result.total.magnitude:,.0f} ms"
        )
        if verdict.within:
            print(f"within the {budget:,.0f} ms budget, {verdict.headroom.magnitude:,.0f} ms spare")
        else:
            print(f"over the {budget:,.0f} ms budget by {verdict.overshoot.magnitude:,.0f} ms")
        print(
            f"six components at {availability:.2%} each: the request succeeds {works:.2%} "
            f"of the time ({1 - works:.2%} fail somewhere)"
        )
        show_figure(
            plot_composed_request(
                before=(("retrieval", retrieval), ("planner", planner)),
                tools=(("tool A", tool_a), ("tool B", tool_b)),
                after=(("generator", generator), ("verifier", verifier)),
                orchestration=orchestration,
                budget=budget,
            )
        )

    style = {"description_width": "initial"}

    def ms(value: float, label: str, top: float = 1500, low: int = 0) -> Any:
        return widgets.IntSlider(
            value=int(value), min=low, max=int(top), step=5, description=f"{label} (ms)", style=style
        )

    return widgets.interactive(
        show,
        retrieval=ms(retrieval, "retrieval"),
        planner=ms(planner, "planner"),
        tool_a=ms(tool_a, "tool A"),
        tool_b=ms(tool_b, "tool B"),
        generator=ms(generator, "generator", 3000),
        verifier=ms(verifier, "verifier"),
        orchestration=ms(orchestration, "orchestration", 300),
        budget=ms(budget, "budget", 5000, low=50),
        availability=widgets.FloatSlider(
            value=availability,
            min=0.9,
            max=0.9999,
            step=0.0005,
            readout_format=".4f",
            description="availability per component",
            style=style,
        ),
    )
