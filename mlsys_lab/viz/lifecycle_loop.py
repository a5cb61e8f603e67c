"""Diagrams of the ML lifecycle as a loop: six stages in a ring, and two pipelines with the
arrows that run backwards.

Follows *ML Workflow*, §ML Lifecycle (the two-pipeline figure) and §Lifecycle Stages (the
six-stage figure with its feedback loop from monitoring back to data collection). The stage
names come from :data:`mlsys_lab.science.lifecycle.STAGES`, the pipeline steps and backward arrows
from :mod:`mlsys_lab.science.lifecycle`; nothing is retyped here.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..science import lifecycle
from . import alt_text, figure_or_note

__all__ = ["plot_lifecycle_loop", "plot_two_pipelines"]

_DATA_COLOUR = "#d8efd8"
_MODEL_COLOUR = "#d6e4f5"
_FEEDBACK_COLOUR = "C3"


def _box(ax, x, y, text, colour, width=1.5, height=0.62, fontsize=8.5):
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.04,rounding_size=0.12",
            facecolor=colour,
            edgecolor="0.35",
            linewidth=1.0,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, wrap=True)


def _arrow(ax, start, end, colour="0.3", rad=0.0, style="-|>", width=1.3, dashed=False):
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle=style,
            mutation_scale=12,
            connectionstyle=f"arc3,rad={rad}",
            color=colour,
            linewidth=width,
            linestyle="--" if dashed else "-",
            shrinkA=2,
            shrinkB=2,
        )
    )


def _wrap(name: str) -> str:
    """Break a stage name before its '&' so it fits in a box."""
    return name.replace(" & ", " &\n")


@figure_or_note
def plot_lifecycle_loop(highlight_feedback: bool = True) -> Figure:
    """The six lifecycle stages around a ring, each handing on to the next, with the
    feedback arrow from Monitoring & Maintenance back to Data Collection & Preparation.

    Stage 1 sits at the top and the ring runs clockwise. ``highlight_feedback=False`` draws
    the feedback arrow in grey like the others (to compare "a line" with "a loop").
    """
    stages = lifecycle.STAGES
    n = len(stages)
    radius = 2.5
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]
    centres = [(radius * math.cos(a), radius * math.sin(a)) for a in angles]

    fig = Figure(figsize=(7.0, 6.0))
    ax = fig.subplots()
    for number, (name, (x, y)) in enumerate(zip(stages, centres), start=1):
        colour = (
            _DATA_COLOUR
            if number == lifecycle.stage_number("data")
            else (
                _MODEL_COLOUR
                if number in (lifecycle.stage_number("model"), lifecycle.stage_number("evaluation"))
                else "#f3f3f3"
            )
        )
        _box(ax, x, y, f"{number}. {_wrap(name)}", colour, width=2.2, height=0.8)
    for i in range(n - 1):
        _arrow(ax, _towards(centres[i], centres[i + 1], 0.75), _towards(centres[i + 1], centres[i], 0.75), rad=-0.15)
    monitoring = lifecycle.stage_number("monitoring") - 1
    data = lifecycle.stage_number("data") - 1
    colour = _FEEDBACK_COLOUR if highlight_feedback else "0.3"
    _arrow(
        ax,
        _towards(centres[monitoring], (0, 0), 0.45),
        _towards(centres[data], (0, 0), 0.45),
        colour=colour,
        rad=0.45,
        width=2.2,
    )
    ax.text(
        0,
        -0.55,
        "production signals:\ndrift, falling performance,\nnew failure modes",
        ha="center",
        va="center",
        fontsize=8.5,
        color=colour,
    )
    ax.set_xlim(-3.9, 3.9)
    ax.set_ylim(-3.4, 3.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("The ML lifecycle: a loop, not a line")
    names = ", ".join(f"{i}. {s}" for i, s in enumerate(stages, start=1))
    return alt_text(
        fig,
        f"Diagram: the six lifecycle stages in a ring, each with an arrow to the next: {names}. "
        f"A highlighted arrow runs from stage {monitoring + 1} back to stage {data + 1}, labelled "
        "production signals (drift, falling performance, new failure modes), which closes the "
        "ring into a loop.",
    )


def _towards(a, b, distance):
    """The point ``distance`` from ``a`` on the way to ``b``."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    return (a[0] + dx / length * distance, a[1] + dy / length * distance)


def _arc_apex(start, end, rad):
    """Midpoint of matplotlib's ``arc3`` curve from ``start`` to ``end`` (where to label it)."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    return ((x1 + x2) / 2 + rad * dy / 2, (y1 + y2) / 2 - rad * dx / 2)


@figure_or_note
def plot_two_pipelines() -> Figure:
    """The data pipeline (top row) and the model pipeline (bottom row), with forward arrows
    and the backward arrows of :data:`mlsys_lab.science.lifecycle.BACKWARD_ARROWS` in red."""
    data_steps, model_steps = lifecycle.DATA_PIPELINE, lifecycle.MODEL_PIPELINE
    step = 1.85
    rows = {"data": 2.0, "model": 0.0}
    positions = {("data", s): (i * step, rows["data"]) for i, s in enumerate(data_steps)}
    offset = (len(data_steps) - len(model_steps)) * step / 2
    positions.update({("model", s): (offset + i * step, rows["model"]) for i, s in enumerate(model_steps)})

    fig = Figure(figsize=(9.5, 4.6))
    ax = fig.subplots()
    for (pipeline, name), (x, y) in positions.items():
        _box(ax, x, y, name, _DATA_COLOUR if pipeline == "data" else _MODEL_COLOUR)
    for pipeline, steps in (("data", data_steps), ("model", model_steps)):
        for a, b in zip(steps, steps[1:]):
            (xa, ya), (xb, yb) = positions[(pipeline, a)], positions[(pipeline, b)]
            _arrow(ax, (xa + 0.78, ya), (xb - 0.78, yb))
    (xp, yp), (xt, yt) = positions[("data", data_steps[-1])], positions[("model", model_steps[0])]
    _arrow(ax, (xp, yp - 0.34), (xt + 0.3, yt + 0.34), rad=0.0)
    ax.text((xp + xt) / 2 + 0.2, (yp + yt) / 2, "ML-ready\ndatasets", fontsize=8, ha="left", va="center")

    for arrow in lifecycle.BACKWARD_ARROWS:
        (xs, ys), (xe, ye) = positions[arrow.source], positions[arrow.target]
        if arrow.source[0] == arrow.target[0]:  # a loop within the data pipeline: arc above it
            start, end, rad = (xs, ys + 0.34), (xe, ye + 0.34), 0.35
            _arrow(ax, start, end, colour=_FEEDBACK_COLOUR, rad=rad, dashed=True)
        else:  # production back to the start: a wide arc below the model pipeline
            start, end, rad = (xs, ys - 0.34), (xe - 0.4, ye - 0.34), -0.45
            _arrow(ax, start, end, colour=_FEEDBACK_COLOUR, rad=rad, width=2.0)
        ax.text(
            *_arc_apex(start, end, rad),
            arrow.carries,
            ha="center",
            va="center",
            fontsize=8.5,
            color=_FEEDBACK_COLOUR,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
        )
    ax.text(-1.1, rows["data"], "data\npipeline", ha="right", va="center", fontsize=9, fontweight="bold")
    ax.text(offset - 1.1, rows["model"], "model\npipeline", ha="right", va="center", fontsize=9, fontweight="bold")
    ax.set_xlim(-2.4, (len(data_steps) - 1) * step + 1.0)
    ax.set_ylim(-1.7, 3.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Two pipelines that feed each other; red arrows run backwards")
    backward = "; ".join(
        f"{a.carries} from {a.source[0]} {a.source[1]} back to {a.target[0]} {a.target[1]}"
        for a in lifecycle.BACKWARD_ARROWS
    )
    return alt_text(
        fig,
        f"Diagram of two pipelines. Top row, the data pipeline: {', '.join(data_steps)}. Its "
        f"last step hands ML-ready datasets to the bottom row, the model pipeline: "
        f"{', '.join(model_steps)}. Backward arrows: {backward}.",
    )
