"""Plot and widget for the iteration tax.

Follows *ML Workflow*, §ML Lifecycle, Napkin Math 1.1 (the iteration tax): over the same
calendar window, a model whose experiments take an hour gets through far more iterations
than one whose experiments take a week, and the count of iterations, not the starting
accuracy, decides where each ends up. Every number comes from :mod:`mlsys_lab.science.iteration`;
this module only draws and wires sliders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..facts import constants as C
from ..science import iteration as it
from ..units import Q_, Number, positive_quantity
from . import alt_text, figure_or_note

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_iteration_tax", "iteration_tax_widget"]


@figure_or_note
def plot_iteration_tax(
    window: Number = C.ITERATION_WINDOW,
    large_duration: Number = C.LARGE_EXPERIMENT_DURATION,
    small_duration: Number = C.SMALL_EXPERIMENT_DURATION,
    large_start: Number = C.LARGE_START_ACCURACY,
    large_gain: Number = C.LARGE_GAIN_PER_ITERATION,
    small_start: Number = C.SMALL_START_ACCURACY,
    small_gain: Number = C.SMALL_GAIN_PER_ITERATION,
    small_effective_iterations: Number = C.SMALL_EFFECTIVE_ITERATIONS,
    ceiling: Number = C.ACCURACY_CEILING,
) -> Figure:
    """Accuracy (percent) against calendar time (weeks) for the two models.

    Defaults are Napkin Math 1.1's: a large model at one week per experiment starting at
    95 % and gaining 0.15 points per run, and a small model at one hour per experiment
    starting at 90 % and gaining 0.1 points per run, of which only
    ``small_effective_iterations`` count, spread evenly over the window; both capped at
    ``ceiling``. Plain durations are hours, a plain window is weeks.
    """
    from matplotlib.figure import Figure

    large = it.accuracy_trajectory(large_start, large_gain, large_duration, window, ceiling=ceiling)
    small = it.accuracy_trajectory(
        small_start,
        small_gain,
        small_duration,
        window,
        ceiling=ceiling,
        effective_iterations=small_effective_iterations,
    )
    large_hours = positive_quantity(large_duration, "hour", "large_duration")
    small_hours = positive_quantity(small_duration, "hour", "small_duration")
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.subplots()
    ax.step(
        large.time.magnitude,
        100 * large.accuracy,
        where="post",
        color="C0",
        label=f"large model ({large_hours.to('day').magnitude:g} days per experiment)",
    )
    ax.step(
        small.time.magnitude,
        100 * small.accuracy,
        where="post",
        color="C1",
        label=f"small model ({small_hours.magnitude:g} h per experiment)",
    )
    if ceiling is not None:
        ax.axhline(
            100 * float(Q_(ceiling).to("dimensionless").magnitude),
            color="0.5",
            linestyle=":",
            linewidth=1,
            label="accuracy ceiling",
        )
    ax.set_xlabel("calendar time (weeks)")
    ax.set_ylabel("accuracy (%)")
    ax.set_xlim(0, large.time.magnitude[-1])
    ax.set_title("Iteration tax: accuracy against calendar time")
    ax.legend(loc="lower right", fontsize=8)
    weeks = large.time.magnitude[-1]
    large_end, small_end = 100 * large.accuracy[-1], 100 * small.accuracy[-1]
    leader = "small" if small_end > large_end else "large" if large_end > small_end else "neither"
    cap = (
        f" A dotted line marks the {100 * float(Q_(ceiling).to('dimensionless').magnitude):g} % ceiling."
        if ceiling is not None
        else ""
    )
    counted = (
        f" (the experiments that count, of {it.experiments_in_window(window, small_duration):,} that fit)"
        if small_effective_iterations is not None
        else ""
    )
    return alt_text(
        fig,
        f"Step chart of accuracy in percent against calendar time over {weeks:g} weeks for two "
        f"models. The large model, at {large_hours.to('day').magnitude:g} days per experiment, "
        f"starts at {100 * large.accuracy[0]:.1f} % and climbs in {large.iterations[-1]:,} "
        f"steps to {large_end:.1f} %. The small model, at {small_hours.magnitude:g} h per experiment, "
        f"starts at {100 * small.accuracy[0]:.1f} % and climbs in {small.iterations[-1]:,} "
        f"steps{counted} to {small_end:.1f} %, so "
        + (f"the {leader} model ends ahead." if leader != "neither" else "both end level.")
        + cap,
    )


def iteration_tax_widget(
    window_weeks: int = round(C.ITERATION_WINDOW.m_as("week")),
    large_days: int = round(C.LARGE_EXPERIMENT_DURATION.m_as("day")),
    small_hours: float = C.SMALL_EXPERIMENT_DURATION.m_as("hour"),
    small_effective_iterations: int = round(C.SMALL_EFFECTIVE_ITERATIONS.m_as("dimensionless")),
):
    """Sliders for the window and each model's experiment length; prints how many
    experiments fit (:func:`mlsys_lab.science.iteration.experiments_in_window`) and where each model
    ends (:func:`mlsys_lab.science.iteration.accuracy_after`), with Napkin Math 1.1's starting
    accuracies, gains and ceiling. Works once, statically, too (ML Workflow, §ML Lifecycle).
    """
    import ipywidgets as widgets

    def show(window_weeks: int, large_days: int, small_hours: float, small_effective_iterations: int) -> None:
        window = Q_(window_weeks, "week")
        large_runs = it.experiments_in_window(window, Q_(large_days, "day"))
        small_runs = it.experiments_in_window(window, Q_(small_hours, "hour"))
        used = min(small_effective_iterations, small_runs)
        large_end = it.accuracy_after(
            C.LARGE_START_ACCURACY, C.LARGE_GAIN_PER_ITERATION, large_runs, ceiling=C.ACCURACY_CEILING
        )
        small_end = it.accuracy_after(
            C.SMALL_START_ACCURACY, C.SMALL_GAIN_PER_ITERATION, used, ceiling=C.ACCURACY_CEILING
        )
        print(f"large model: {large_runs:,} experiments fit; all count -> {large_end:.1%}")
        print(f"small model: {small_runs:,} experiments fit; {used:,} count -> {small_end:.1%}")

    style = {"description_width": "initial"}
    return widgets.interactive(
        show,
        window_weeks=widgets.IntSlider(
            value=window_weeks, min=4, max=52, step=1, description="window (weeks)", style=style
        ),
        large_days=widgets.IntSlider(
            value=large_days, min=1, max=14, step=1, description="large model: days per experiment", style=style
        ),
        small_hours=widgets.FloatSlider(
            value=small_hours, min=0.5, max=12, step=0.5, description="small model: hours per experiment", style=style
        ),
        small_effective_iterations=widgets.IntSlider(
            value=small_effective_iterations,
            min=10,
            max=500,
            step=10,
            description="small model: experiments that count",
            style=style,
        ),
    )
