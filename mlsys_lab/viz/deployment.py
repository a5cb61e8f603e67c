"""Table and plot for the deployment spectrum, from data-center accelerator to microcontroller.

Follows *Conclusion*, §Future Directions, "Applying principles to emerging deployment
contexts": the same design problem is solved under resource envelopes that differ by orders
of magnitude (the book's mobile NPU has tens of times less INT8 peak, about ten times less
memory and hundreds of times less power than an H100). Every ratio comes from
:func:`mlsys_lab.facts.hardware.compare_devices`; this module only lays it out.
"""

from __future__ import annotations

from typing import Any, Iterable

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullLocator

from ..facts import hardware as hw
from . import alt_text, figure_or_note

__all__ = ["device_ratio_table", "plot_device_spectrum"]

_DEFAULT_OTHERS = ("mobile_npu", "microcontroller")
_SPECTRUM = ("h100", "jetson_orin_agx", "jetson_orin_nano", "mobile_npu", "microcontroller")


def _times(ratio: float) -> str:
    return f"{ratio:,.1f}x" if ratio < 1000 else f"{ratio:,.0f}x"


def device_ratio_table(reference: Any = "h100", others: Iterable[Any] = _DEFAULT_OTHERS, precision: str = "int8"):
    """A Markdown table: how many times the ``reference`` device exceeds each of ``others``
    in peak rate (at ``precision``), memory bandwidth, memory capacity and power envelope.

    Returns an :class:`IPython.display.Markdown` object, so a notebook cell that ends with
    the call renders the table.
    """
    from IPython.display import Markdown

    ref = hw.get_device(reference)
    lines = [
        f"| {ref.name} vs. | {precision.upper()} peak | memory bandwidth | memory capacity | power envelope |",
        "|---|---:|---:|---:|---:|",
    ]
    for other in others:
        r = hw.compare_devices(ref, other, precision)
        cells = " | ".join(_times(x) for x in (r.peak, r.memory_bandwidth, r.memory_capacity, r.power))
        lines.append(f"| {r.other} | {cells} |")
    return Markdown("\n".join(lines))


@figure_or_note
def plot_device_spectrum(devices: Iterable[Any] = _SPECTRUM, precision: str = "int8") -> Figure:
    """Three log-scale panels: peak rate at ``precision`` (TOPS), memory capacity (GB) and
    power envelope (W) for each device in ``devices``."""
    devs = [hw.get_device(d) for d in devices]
    names = [d.name.split(" (")[0].replace("NVIDIA ", "") for d in devs]
    panels = (
        (f"{precision.upper()} peak (TOPS)", [d.peak(precision).to("TFLOP/s").magnitude for d in devs]),
        ("memory capacity (GB)", [d.memory_capacity.to("GB").magnitude for d in devs]),
        ("power envelope (W)", [d.power.to("W").magnitude for d in devs]),
    )
    fig = Figure(figsize=(9.0, 3.8), layout="constrained")
    axes = fig.subplots(1, 3, sharey=True)
    for ax, (label, values) in zip(axes, panels):
        floor = min(values) / 10
        ax.hlines(range(len(devs)), floor, values, color="0.75", linewidth=2)
        ax.scatter(values, range(len(devs)), s=60, color=[f"C{i}" for i in range(len(devs))], zorder=3)
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlim(floor, max(values) * 10)
        ax.set_xlabel(label)
    axes[0].set_yticks(range(len(devs)), names)
    axes[0].invert_yaxis()
    fig.suptitle("One design problem, five resource envelopes (log scales)")
    listed = "; ".join(
        f"{name}: {peak:,.4g} TOPS, {memory:,.3g} GB, {power:,.3g} W"
        for name, peak, memory, power in zip(names, *(values for _, values in panels))
    )
    text = (
        f"Three side-by-side dot charts on logarithmic axes, one row per device, comparing "
        f"{precision.upper()} peak rate, memory capacity and power envelope. {listed}."
    )
    if len(devs) > 1:
        span = hw.compare_devices(devs[0], devs[-1], precision)
        text += (
            f" The {span.reference} has {_times(span.peak)} the peak, {_times(span.memory_capacity)} "
            f"the memory and {_times(span.power)} the power of the {span.other}: the same problem "
            "meets envelopes orders of magnitude apart."
        )
    return alt_text(fig, text)
