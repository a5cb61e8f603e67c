"""Diagram of multi-scale feedback: the loops of a deployed ML system, one per clock.

Follows *ML Workflow*, §Systems Thinking, "Multi-scale feedback": in the DR network,
minute-level loops fix operations, while loops over weeks, months and quarters adapt data,
thresholds and design. The loops themselves are :data:`mlsys_lab.science.lifecycle.FEEDBACK_CLOCKS`.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.patches import Arc, FancyArrowPatch

from ..science import lifecycle
from . import alt_text, figure_or_note

__all__ = ["plot_feedback_clocks"]


@figure_or_note
def plot_feedback_clocks(highlight: str | None = None) -> Figure:
    """Nested feedback loops around the deployed system, the fastest innermost.

    Each ring is one loop of :data:`mlsys_lab.science.lifecycle.FEEDBACK_CLOCKS`; beside it, what the
    loop watches and what it changes. ``highlight`` (a clock such as ``"weeks"``) draws that
    loop in red.
    """
    clocks = lifecycle.FEEDBACK_CLOCKS
    names = [c.clock for c in clocks]
    if highlight is not None and highlight not in names:
        raise ValueError(f"highlight must be one of {', '.join(names)}, got {highlight!r}")
    fig = Figure(figsize=(9.0, 5.6))
    ax = fig.subplots()
    step = 0.75
    outer = 0.9 + step * (len(clocks) - 1)
    for i, clock in enumerate(clocks):
        radius = 0.9 + step * i
        colour = "C3" if clock.clock == highlight else f"C{i}" if highlight is None else "0.6"
        # a ring open near the top, with an arrowhead closing it (counter-clockwise)
        ax.add_patch(Arc((0, 0), 2 * radius, 2 * radius, theta1=100, theta2=440, color=colour, linewidth=2.0))
        gap_end = (radius * math.cos(math.radians(100)), radius * math.sin(math.radians(100)))
        gap_start = (radius * math.cos(math.radians(80)), radius * math.sin(math.radians(80)))
        ax.add_patch(
            FancyArrowPatch(
                gap_start,
                gap_end,
                arrowstyle="-|>",
                mutation_scale=12,
                color=colour,
                linewidth=2.0,
                shrinkA=0,
                shrinkB=0,
            )
        )
        ax.text(0, radius, clock.clock, ha="center", va="bottom", fontsize=8.5, color=colour, fontweight="bold")
        # labels in a column, slowest loop at the top, each in its ring's colour
        y = -outer + 2 * outer * i / (len(clocks) - 1)
        ax.text(
            outer + 0.5,
            y,
            f"{clock.clock}: watches {clock.watches}\n    → {clock.changes}",
            fontsize=8.5,
            va="center",
            color=colour,
        )
    ax.text(0, 0, "deployed\nDR network", ha="center", va="center", fontsize=9)
    ax.set_xlim(-outer - 0.3, outer + 7.6)
    ax.set_ylim(-outer - 0.3, outer + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Feedback on several clocks: fast loops repair, slow loops adapt")
    loops = "; ".join(f"{c.clock}: watches {c.watches}, changes: {c.changes}" for c in clocks)
    return alt_text(
        fig,
        f"Diagram: {len(clocks)} nested circular arrows around the deployed DR network, the "
        f"fastest loop innermost and the slowest outermost. {loops}.",
    )
