"""The cycle of the thirteen invariants around the conservation of complexity.

Follows *Conclusion*, §Thirteen Quantitative Invariants (the cycle figure): the four phases
(Foundations, Build, Optimize, Deploy) sit around a hub, the conservation of complexity;
forward arrows carry each phase's decisions to the next, and the Deploy-to-Foundations
arrow carries the signals of invariants 9-13 back to the start. Phases, invariants, links,
signals and examples come from :mod:`mlsys_lab.science.invariants`; this module only draws.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ..science import invariants as inv
from . import alt_text, figure_or_note

__all__ = ["plot_complexity_cycle"]

_PHASE_COLOURS = {"Foundations": "#d8efd8", "Build": "#d6e4f5", "Optimize": "#fbe5c8", "Deploy": "#f5d6e0"}
_CENTRES = {"Foundations": (0.0, 2.6), "Build": (3.2, 0.0), "Optimize": (0.0, -2.6), "Deploy": (-3.2, 0.0)}
_FEEDBACK_COLOUR = "C3"


def _arrow(ax, start, end, colour="0.3", rad=-0.25, width=1.4):
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=14,
            connectionstyle=f"arc3,rad={rad}",
            color=colour,
            linewidth=width,
            shrinkA=4,
            shrinkB=4,
        )
    )


@figure_or_note
def plot_complexity_cycle(show_moves: bool = True) -> Figure:
    """Four phase boxes in a ring with their invariants, the hub, and the feedback arrow.

    ``show_moves`` adds the chapter's examples of complexity moved, not removed, inside the
    hub.
    """
    fig = Figure(figsize=(8.6, 6.6))
    ax = fig.subplots()
    for phase, (x, y) in _CENTRES.items():
        members = inv.in_phase(phase)
        lines = [f"{i.number}. {i.name}" for i in members]
        text = f"{phase.upper()}\n" + "\n".join(lines)
        height = 0.45 + 0.27 * len(lines)
        ax.add_patch(
            FancyBboxPatch(
                (x - 1.25, y - height / 2),
                2.5,
                height,
                boxstyle="round,pad=0.05,rounding_size=0.15",
                facecolor=_PHASE_COLOURS[phase],
                edgecolor="0.35",
            )
        )
        ax.text(x, y, text, ha="center", va="center", fontsize=8.5, linespacing=1.25)
    hub_text = "conservation\nof complexity"
    if show_moves:
        hub_text += "\n\n" + "\n".join(
            textwrap.fill(f"{change}: {src} -> {dst}", 28) for change, src, dst in inv.COMPLEXITY_MOVES
        )
    ax.add_patch(Circle((0, 0), 1.55, facecolor="#f4f4f4", edgecolor="0.5", linestyle="--"))
    ax.text(0, 0, hub_text, ha="center", va="center", fontsize=7.2)

    anchors = {
        ("Foundations", "Build"): ((1.3, 2.6), (3.2, 0.95)),
        ("Build", "Optimize"): ((3.2, -0.95), (1.3, -2.7)),
        ("Optimize", "Deploy"): ((-1.3, -2.7), (-3.2, -1.0)),
    }
    label_at = {
        ("Foundations", "Build"): (3.75, 2.25),
        ("Build", "Optimize"): (3.75, -2.3),
        ("Optimize", "Deploy"): (-3.75, -2.3),
    }
    for src, dst, carries in inv.FORWARD_LINKS:
        start, end = anchors[(src, dst)]
        _arrow(ax, start, end)
        lx, ly = label_at[(src, dst)]
        ax.text(
            lx,
            ly,
            textwrap.fill(carries, 22),
            ha="center",
            va="center",
            fontsize=7,
            color="0.25",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
    _arrow(ax, (-3.2, 1.0), (-1.3, 2.6), colour=_FEEDBACK_COLOUR, width=2.4)
    ax.text(
        -3.75,
        2.35,
        "back to Foundations:\n" + textwrap.fill(", ".join(inv.FEEDBACK_SIGNALS), 28) + "\n-> new data, retraining",
        ha="center",
        va="center",
        fontsize=7,
        color=_FEEDBACK_COLOUR,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
    )
    ax.set_xlim(-5.0, 5.0)
    ax.set_ylim(-3.6, 3.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("The thirteen invariants as a cycle around the conservation of complexity", fontsize=10)
    phases = "; ".join(f"{p} ({', '.join(str(i.number) for i in inv.in_phase(p))})" for p in inv.PHASES)
    return alt_text(
        fig,
        "Cycle diagram. Four boxes in a ring, each listing the invariants its phase "
        f"introduced: {phases}. Arrows run clockwise from Foundations to Build to Optimize to "
        "Deploy, each labelled with what the phase hands on; a thick red arrow runs from "
        "Deploy back to Foundations, labelled with the signals that force new data and "
        f"retraining: {', '.join(inv.FEEDBACK_SIGNALS)}. In the centre a dashed circle reads "
        "'conservation of complexity'"
        + (
            ", with examples of complexity moved rather than removed: "
            + "; ".join(f"{c} moves it from {s} to {d}" for c, s, d in inv.COMPLEXITY_MOVES)
            if show_moves
            else ""
        )
        + ".",
    )
