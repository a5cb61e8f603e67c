"""Plot and widget for depthwise-separable convolutions.

Follows *Conclusion*, §Synthesizing ML Systems, the MobileNetV2 journey table (architecture
row). Costs come from :mod:`mlsys_lab.science.architecture`; this module only draws and wires sliders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..facts import constants as C
from ..science import architecture as arch
from . import alt_text, figure_or_note

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_depthwise_savings", "depthwise_widget"]


@figure_or_note
def plot_depthwise_savings(
    kernel_sizes: Iterable[int] = (3, 5, 7),
    max_channels: int = 1024,
) -> Figure:
    """Cost ratio standard / depthwise-separable against output channels, per kernel size.

    Each curve rises towards K x K (dotted) as the channel count grows: with many output
    channels the pointwise part costs little next to what a full K x K convolution would.
    """
    import numpy as np
    from matplotlib.figure import Figure

    channels = np.unique(np.round(np.logspace(0, np.log10(max_channels), 40)).astype(int))
    fig = Figure(figsize=(7.0, 4.2), layout="constrained")
    ax = fig.subplots()
    for i, k in enumerate(kernel_sizes):
        savings = [arch.depthwise_separable_savings(k, int(n)) for n in channels]
        ax.semilogx(channels, savings, color=f"C{i}", label=f"{k} x {k} kernel")
        ax.axhline(k * k, color=f"C{i}", linestyle=":", linewidth=1)
    ax.set_xlabel("output channels N")
    ax.set_ylabel("operations saved (standard / separable, x)")
    ax.set_title("Depthwise-separable savings (dotted: the K x K ceiling)")
    ax.legend(fontsize=8, loc="upper left")
    kernels = ", ".join(f"{k} x {k} towards {k * k}" for k in kernel_sizes)
    return alt_text(
        fig,
        "Curves of the operations saved by a depthwise separable convolution "
        "against the number of output channels (log scale), one per kernel "
        f"size, each rising quickly and then levelling off below its dotted "
        f"K x K ceiling: {kernels}.",
    )


def depthwise_widget(
    kernel_size: int = round(C.DW_KERNEL_SIZE.m_as("dimensionless")),
    out_channels: int = round(C.DW_OUTPUT_CHANNELS.m_as("dimensionless")),
    in_channels: int = 256,
    feature_map: int = 14,
):
    """Sliders for kernel size, channel counts and feature-map side; prints the
    multiply-accumulates of a standard and of a depthwise-separable layer
    (:func:`mlsys_lab.science.architecture.conv_macs`, :func:`~mlsys_lab.science.architecture.depthwise_separable_macs`)
    and the saving (:func:`~mlsys_lab.science.architecture.depthwise_separable_savings`).
    Works once, statically, too.
    """
    import ipywidgets as widgets

    def show(kernel_size: int, out_channels: int, in_channels: int, feature_map: int) -> None:
        standard = arch.conv_macs(feature_map, feature_map, kernel_size, in_channels, out_channels)
        separable = arch.depthwise_separable_macs(feature_map, feature_map, kernel_size, in_channels, out_channels)
        saving = arch.depthwise_separable_savings(kernel_size, out_channels)
        print(f"standard {kernel_size}x{kernel_size} convolution: {standard / 1e6:,.2f} M MACs")
        print(f"depthwise-separable version:      {separable / 1e6:,.2f} M MACs")
        print(f"saving: {saving:.2f}x  (ceiling {kernel_size * kernel_size}x as N grows)")

    style = {"description_width": "initial"}
    return widgets.interactive(
        show,
        kernel_size=widgets.IntSlider(
            value=kernel_size, min=1, max=9, step=2, description="kernel size K", style=style
        ),
        out_channels=widgets.IntSlider(
            value=out_channels, min=8, max=1024, step=8, description="output channels N", style=style
        ),
        in_channels=widgets.IntSlider(
            value=in_channels, min=8, max=1024, step=8, description="input channels M", style=style
        ),
        feature_map=widgets.IntSlider(
            value=feature_map, min=7, max=112, step=7, description="feature map side (pixels)", style=style
        ),
    )
