"""Plot and widget for fleet reliability: many dependable parts, one fragile whole.

Follows *Conclusion*, §Journey Forward, horizon note "From node to fleet": with independent
failures a pool of N devices, each with mean time to failure MTTF, sees a failure somewhere
every MTTF / N on average. Every number comes from :mod:`mlsys_lab.science.reliability`; this module
only draws and wires sliders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..facts import constants as C
from ..science import reliability as rel
from ..units import Q_, Number, positive_quantity
from . import alt_text, figure_or_note

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_fleet_mtbf", "fleet_mtbf_widget"]

_REFERENCE_SPANS = (
    ("1 hour", Q_(1, "hour")),
    ("1 day", Q_(1, "day")),
    ("1 week", Q_(1, "week")),
    ("1 month", Q_(30, "day")),
)


@figure_or_note
def plot_fleet_mtbf(
    mttf: Number = C.GPU_MTTF,
    sizes: Iterable[int] | None = None,
    marks: Iterable[int] = (int(C.FLEET_GPUS.magnitude),),
    extra_mttfs: Iterable[Number] = (),
) -> Figure:
    """Fleet MTBF (hours) against fleet size (devices), both axes logarithmic.

    ``mttf`` is the per-device mean time to failure (plain number: years; default the
    book's 5.7-year data-center GPU). ``sizes`` are the fleet sizes drawn (default 1 to
    100,000 devices), ``marks`` fleet sizes to highlight with their MTBF, and
    ``extra_mttfs`` further per-device MTTFs drawn as dashed lines for comparison.
    Dotted horizontal lines show an hour, a day, a week and a month.
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullLocator

    if sizes is None:
        sizes = np.unique(np.round(np.logspace(0, 5, 60)).astype(int))
    sizes = [int(n) for n in sizes]
    base = positive_quantity(mttf, "year", "mttf")
    fig = Figure(figsize=(7.5, 4.4), layout="constrained")
    ax = fig.subplots()
    curves = [(base, "-")] + [(positive_quantity(m, "year", "extra_mttfs"), "--") for m in extra_mttfs]
    for i, (m, style) in enumerate(curves):
        hours = [rel.fleet_mtbf(m, n).to("hour").magnitude for n in sizes]
        ax.plot(sizes, hours, style, color=f"C{i}", label=f"per-device MTTF {m.magnitude:g} years")
    for label, span in _REFERENCE_SPANS:
        ax.axhline(span.to("hour").magnitude, color="0.6", linestyle=":", linewidth=1)
        ax.annotate(
            label,
            (sizes[0], span.to("hour").magnitude),
            xytext=(2, 2),
            textcoords="offset points",
            fontsize=8,
            color="0.4",
        )
    marked = []
    for n in marks:
        mtbf = rel.fleet_mtbf(base, n).to("hour").magnitude
        marked.append(f"{n:,} devices see a failure every {mtbf:.3g} hours")
        ax.plot([n], [mtbf], "o", color="C3")
        ax.annotate(
            f"{n:,} devices: {mtbf:.3g} h", (n, mtbf), xytext=(6, 6), textcoords="offset points", fontsize=9, color="C3"
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):  # plain labels (1, 10, 100) instead of mathtext powers
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,g}"))
        axis.set_minor_locator(NullLocator())
    ax.set_xlabel("fleet size (devices)")
    ax.set_ylabel("fleet MTBF (hours)")
    ax.set_title("Mean time between failures shrinks as 1 / fleet size")
    ax.legend(loc="upper right", fontsize=8)

    def hours(m, n: int) -> str:
        h = rel.fleet_mtbf(m, n).to("hour").magnitude
        return f"{h:,.0f} h" if h >= 100 else f"{h:.3g} h"

    lines = "; ".join(
        ("Dashed" if style == "--" else "Solid")
        + f" line, per-device MTTF {m.magnitude:g} years: {hours(m, sizes[0])} for {sizes[0]:,} device(s), "
        f"{hours(m, sizes[-1])} for {sizes[-1]:,}"
        for m, style in curves
    )
    return alt_text(
        fig,
        f"Log-log line chart of fleet mean time between failures, in hours, against fleet size from "
        f"{sizes[0]:,} to {sizes[-1]:,} devices: a straight line falling in proportion to 1 / fleet "
        f"size. {lines}. Dotted horizontal lines mark an hour, a day, a week and a month."
        + (f" Marked: {'; '.join(marked)}." if marked else ""),
    )


def fleet_mtbf_widget(
    mttf_years: float = C.GPU_MTTF.m_as("year"),
    devices: int = round(C.FLEET_GPUS.m_as("dimensionless")),
    window_hours: float = 24.0,
):
    """Sliders for per-device MTTF, fleet size and a time window; prints the fleet MTBF
    (:func:`mlsys_lab.science.reliability.fleet_mtbf`), the expected failures in the window and the
    chance of at least one (:func:`~mlsys_lab.science.reliability.failure_probability`). Works once,
    statically, too (Conclusion, §Journey Forward, from node to fleet).
    """
    import ipywidgets as widgets

    def show(mttf_years: float, devices: int, window_hours: float) -> None:
        mttf = Q_(mttf_years, "year")
        window = Q_(window_hours, "hour")
        mtbf = rel.fleet_mtbf(mttf, devices)
        expected = rel.expected_failures(window, mttf, devices)
        chance = rel.failure_probability(window, mttf, devices)
        print(f"fleet MTBF: {mtbf.to('hour').magnitude:,.1f} h ({mtbf.to('day').magnitude:,.2f} days)")
        print(f"in {window_hours:g} h: {expected:.2f} failures expected, {chance:.1%} chance of at least one")

    style = {"description_width": "initial"}
    return widgets.interactive(
        show,
        mttf_years=widgets.FloatSlider(
            value=mttf_years, min=0.5, max=20, step=0.1, description="per-device MTTF (years)", style=style
        ),
        devices=widgets.IntSlider(
            value=devices, min=1, max=100_000, step=1, description="fleet size (devices)", style=style
        ),
        window_hours=widgets.FloatSlider(
            value=window_hours, min=1, max=24 * 60, step=1, description="window (hours)", style=style
        ),
    )
