"""Plot and widget for the cost of one generated token.

Follows *Conclusion*, §Thirteen Quantitative Invariants, Napkin Math 1.1 (the cost of a
token). Every number comes from :func:`mlsys_lab.science.token_cost.decode_token_cost`; this module
only draws and wires sliders.
"""

from __future__ import annotations

import builtins
import math
from typing import TYPE_CHECKING

from ..facts import constants as C
from ..facts import hardware
from ..science import precision as pr
from ..science import token_cost as tc
from ..units import Number
from . import alt_text, figure_or_note

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_token_cost_vs_batch", "token_cost_widget"]

LLAMA2_70B_PARAMETERS = C.LLAMA2_70B_PARAMS.m_as("dimensionless")
"""The default model, as a plain parameter count."""


@figure_or_note
def plot_token_cost_vs_batch(
    parameters: Number = LLAMA2_70B_PARAMETERS,
    weight_precision: str = "fp16",
    device: hardware.Device | str = "h100",
    max_batch: int = 1024,
) -> Figure:
    """Memory time and compute time of one decode step (ms) against batch size.

    The weights are read once per step whatever the batch, so memory time is flat; the
    arithmetic grows with every sequence in the batch. The dotted line marks the smallest
    batch at which compute catches up (:func:`mlsys_lab.science.token_cost.breakeven_batch_size`).
    Both axes are logarithmic.
    """
    import numpy as np
    from matplotlib.figure import Figure

    batches = np.unique(np.round(np.logspace(0, np.log10(max_batch), 25)).astype(int))
    sweep = tc.batch_sweep(parameters, [int(b) for b in batches], weight_precision=weight_precision, device=device)
    memory = [c.memory_time.to("ms").magnitude for c in sweep]
    compute = [c.compute_time.to("ms").magnitude for c in sweep]
    breakeven = tc.breakeven_batch_size(parameters, weight_precision=weight_precision, device=device)
    fig = Figure(figsize=(7.0, 4.2), layout="constrained")
    ax = fig.subplots()
    ax.loglog(batches, memory, color="C0", label="memory time (read every weight once)")
    ax.loglog(batches, compute, color="C1", label="compute time (2 x P per sequence)")
    if breakeven <= max_batch:
        ax.axvline(breakeven, color="0.4", linestyle=":", linewidth=1, label="batch where compute catches up")
    ax.set_xlabel("batch size (sequences decoded together)")
    ax.set_ylabel("time per decode step (ms)")
    ax.set_title(f"One decode step, {parameters / 1e9:g} B parameters at {weight_precision.upper()}")
    ax.legend(fontsize=8, loc="upper left")
    return alt_text(
        fig,
        f"Log-log plot of one decode step of a {parameters / 1e9:g}-billion-parameter model "
        f"at {weight_precision.upper()}: memory time is a flat line because the weights are "
        "read once per step whatever the batch, while compute time rises in proportion to "
        f"the batch and meets the memory line near batch {breakeven}, marked by a dotted "
        "vertical line.",
    )


def _log_slider_on(value: float, *, min: float, max: float, step: float, **options):
    """A base-10 log slider with ``value`` on one of its stops.

    A log slider's stops are ``10 ** (min + k * step)``. ``min`` and ``max`` (exponents, as
    for ``FloatLogSlider``) are moved inward to whole steps from ``log10(value)``, so the
    default (a chapter figure) is a stop: a browser neither shows a neighbouring stop nor
    computes with one once the slider is touched.
    """
    import ipywidgets as widgets

    anchor = math.log10(value)
    below = builtins.max(0, math.floor((anchor - min) / step + 1e-9))
    above = builtins.max(0, math.floor((max - anchor) / step + 1e-9))
    return widgets.FloatLogSlider(
        value=value, base=10, min=anchor - below * step, max=anchor + above * step, step=step, **options
    )


def token_cost_widget(
    parameters_billion: float = C.LLAMA2_70B_PARAMS.m_as("dimensionless") / 1e9,
    weight_precision: str = "fp16",
    bandwidth_gb_s: float | None = None,
    peak_tflop_s: float | None = None,
    batch_size: int = 1,
):
    """Sliders for model size, precision, bandwidth, peak compute and batch size.

    Prints the bytes moved, the memory time, the compute time, their ratio and which one
    binds, all from :func:`mlsys_lab.science.token_cost.decode_token_cost` with the bandwidth and
    peak overriding the device. Bandwidth and peak start at the H100's (FP16) figures
    from :mod:`mlsys_lab.facts.hardware`. Works once, statically, too.
    """
    import ipywidgets as widgets

    if bandwidth_gb_s is None:
        bandwidth_gb_s = float(hardware.H100.memory_bandwidth.to("GB/s").magnitude)
    if peak_tflop_s is None:
        peak_tflop_s = float(hardware.H100.peak("fp16").to("TFLOP/s").magnitude)

    def show(
        parameters_billion: float, weight_precision: str, bandwidth_gb_s: float, peak_tflop_s: float, batch_size: int
    ) -> None:
        cost = tc.decode_token_cost(
            parameters_billion * 1e9,
            weight_precision,
            batch_size=batch_size,
            bandwidth=bandwidth_gb_s,
            peak_rate=peak_tflop_s,
        )
        print(f"weights read per step: {cost.bytes_moved.to('GB').magnitude:,.1f} GB")
        print(f"memory time:  {cost.memory_time.to('ms').magnitude:,.3f} ms")
        print(f"compute time: {cost.compute_time.to('ms').magnitude:,.3f} ms")
        print(f"memory / compute: {cost.ratio:,.2f}  ->  {cost.bound}")
        print(f"time per token (step / batch): {cost.time_per_token.to('ms').magnitude:,.3f} ms")

    style = {"description_width": "initial"}
    layout = widgets.Layout(width="460px")
    return widgets.interactive(
        show,
        parameters_billion=_log_slider_on(
            parameters_billion,
            min=-1,
            max=3,
            step=0.05,
            description="parameters (billions)",
            style=style,
            layout=layout,
        ),
        weight_precision=widgets.Dropdown(
            options=list(pr.BYTES_PER_PARAMETER), value=weight_precision, description="weight precision", style=style
        ),
        bandwidth_gb_s=_log_slider_on(
            bandwidth_gb_s,
            min=1,
            max=4.5,
            step=0.05,
            readout_format=",.0f",
            description="bandwidth (GB/s)",
            style=style,
            layout=layout,
        ),
        peak_tflop_s=_log_slider_on(
            peak_tflop_s, min=0, max=3.5, step=0.05, description="peak (TFLOP/s)", style=style, layout=layout
        ),
        batch_size=widgets.IntSlider(
            value=batch_size, min=1, max=1024, step=1, description="batch size", style=style, layout=layout
        ),
    )
