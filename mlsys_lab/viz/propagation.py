"""Plot and widget for the constraint propagation principle.

Follows *ML Workflow*, §Systems Thinking ("Constraint propagation principle"): a constraint
that belonged to problem definition but surfaces at stage N costs about ``2**(N-1)`` times
the effort of settling it up front. The numbers come from :mod:`mlsys_lab.science.propagation`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..science import propagation as pg
from ..science.lifecycle import STAGES, stage_number
from . import alt_text, figure_or_note, show_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_cost_multiplier", "late_discovery_widget"]


@figure_or_note
def plot_cost_multiplier(discovered_at=None, earlier=None, log_scale: bool = True) -> Figure:
    """Bars of the correction-cost multiplier ``2**(N-1)`` for each of the six stages.

    ``discovered_at`` (a stage number or name) highlights one bar; ``earlier`` additionally
    highlights the stage the constraint could have been caught at, for a stage-to-stage ratio.
    The y axis is logarithmic (base 2) by default, so equal steps mean doubling.
    """
    from matplotlib.figure import Figure

    stages = list(range(1, len(STAGES) + 1))
    multipliers = [pg.cost_multiplier(n) for n in stages]
    late = stage_number(discovered_at, "discovered_at") if discovered_at is not None else None
    early = stage_number(earlier, "earlier") if earlier is not None else None
    colors = []
    for n in stages:
        if n == late:
            colors.append("C3")
        elif n == early:
            colors.append("C2")
        else:
            colors.append("0.7")
    fig = Figure(figsize=(7.5, 4.0))
    ax = fig.subplots()
    ax.bar(stages, multipliers, color=colors)
    ax.set_xticks(stages)
    ax.set_xticklabels([f"{n}\n{name.split(' ')[0]}" for n, name in zip(stages, STAGES)], fontsize=8)
    ax.set_xlabel("lifecycle stage at which the constraint is discovered")
    ax.set_ylabel("correction cost (multiples of stage-1 effort)")
    if log_scale:
        ax.set_yscale("log", base=2)
        ax.set_yticks(multipliers)
        ax.set_yticklabels([f"{m}x" for m in multipliers])
    ax.set_title("Constraint propagation: the cost of finding a constraint late")
    bars = "; ".join(f"{n} {name}: {m}x" for n, name, m in zip(stages, STAGES, multipliers))
    text = (
        "Bar chart of the cost of correcting a constraint, in multiples of the effort of settling it "
        "at stage 1, against the lifecycle stage at which it is discovered"
        + (", on a base-2 logarithmic axis so that each step up is a doubling" if log_scale else "")
        + f". {bars}."
    )
    if late is not None:
        text += f" Highlighted in red: stage {late}, {STAGES[late - 1]}, at {pg.cost_multiplier(late)}x."
    if early is not None:
        text += f" Highlighted in green: stage {early}, {STAGES[early - 1]}, at {pg.cost_multiplier(early)}x"
        text += (
            f"; finding it at stage {late} instead costs {pg.stage_ratio(early, late)} times as much."
            if late is not None and late >= early
            else "."
        )
    return alt_text(fig, text)


def late_discovery_widget(base_effort_days: float = 2.0, discovered_at: int = 5):
    """Sliders for the stage-1 effort (engineer-days) and the discovery stage; prints the
    correction effort from :func:`mlsys_lab.science.propagation.cost_multiplier` and redraws the bars.
    Works once, statically, too."""
    import ipywidgets as widgets

    def show(base_effort_days: float, discovered_at: int) -> None:
        multiplier = pg.cost_multiplier(discovered_at)
        print(
            f"found at stage {discovered_at} ({STAGES[discovered_at - 1]}): "
            f"{multiplier}x the stage-1 effort = {multiplier * base_effort_days:.1f} engineer-days"
        )
        show_figure(plot_cost_multiplier(discovered_at=discovered_at))

    return widgets.interactive(
        show,
        base_effort_days=widgets.FloatSlider(
            value=base_effort_days,
            min=0.5,
            max=10,
            step=0.5,
            description="stage-1 effort (days)",
            style={"description_width": "initial"},
        ),
        discovered_at=widgets.IntSlider(
            value=discovered_at,
            min=1,
            max=len(STAGES),
            description="found at stage",
            style={"description_width": "initial"},
        ),
    )
