"""Roofline plots: the five Lighthouse workloads on three classes of hardware.

Follows *Conclusion*, §Lighthouse models: Constraint propagation, and §Thirteen Quantitative
Invariants, principles 4 (silicon contract) and 6 (arithmetic intensity law). Roofs come
from :func:`mlsys_lab.science.roofline.roofline_curve` with device figures from
:mod:`mlsys_lab.facts.hardware`; workload intensities from :mod:`mlsys_lab.facts.lighthouses`. This
module only draws.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
from matplotlib.figure import Figure

from ..facts import constants as C
from ..facts import hardware
from ..facts import lighthouses as lh
from ..science import roofline as rf
from . import alt_text, figure_or_note

__all__ = ["DEFAULT_ROOFS", "plot_lighthouse_roofline"]

#: (device id, precision) of each roof drawn by default: the data-center GPU at FP16, the
#: phone NPU and the microcontroller at INT8.
DEFAULT_ROOFS: tuple[tuple[str, str], ...] = (
    ("h100", "fp16"),
    ("mobile_npu", "int8"),
    ("microcontroller", "int8"),
)


def _roof(ax, device, precision: str, intensities, color: str, label: str | None = None):
    dev = hardware.get_device(device)
    curve = rf.roofline_curve(intensities, dev.peak(precision), dev.memory_bandwidth)
    ax.loglog(
        intensities, curve.to("TFLOP/s").magnitude, color=color, label=label or f"{dev.name} ({precision.upper()})"
    )
    ridge = dev.ridge_point(precision).to("FLOP/byte").magnitude
    ax.plot([ridge], [dev.peak(precision).to("TFLOP/s").magnitude], marker="o", color=color, markerfacecolor="white")
    return dev


@figure_or_note
def plot_lighthouse_roofline(
    roofs: Iterable[tuple[str, str]] = DEFAULT_ROOFS,
    resnet_batches: tuple[int, ...] = (1, round(C.RESNET_BATCH_SIZE.m_as("dimensionless"))),
) -> Figure:
    """Roofs of each device in ``roofs`` with every Lighthouse placed on its home device.

    ResNet-50 appears once per batch size in ``resnet_batches`` to show batching moving it
    along the intensity axis (activations are counted per image, see
    :mod:`mlsys_lab.facts.lighthouses`). Open circles mark each roof's ridge point. Both axes are
    logarithmic: intensity in FLOP/byte, attainable rate in TFLOP/s.
    """
    roofs = tuple(roofs)
    home_colors = {}
    fig = Figure(figsize=(8.0, 5.0), layout="constrained")
    ax = fig.subplots()
    intensities = np.logspace(-2, 5, 300)
    for i, (device, precision) in enumerate(roofs):
        _roof(ax, device, precision, intensities, f"C{i}")
        home_colors[device] = f"C{i}"
    markers = {"resnet50": "s", "llama": "^", "mobilenetv2": "D", "dlrm": "v", "kws": "*"}
    for key, workload in lh.LIGHTHOUSES.items():
        color = home_colors.get(workload.home_device)
        if color is None:
            continue
        batches = resnet_batches if key == "resnet50" else (workload.typical_batch,)
        for batch in batches:
            place = lh.placement(key, batch_size=batch)
            label = workload.name if key != "resnet50" else f"{workload.name}, batch {batch}"
            ax.plot(
                place.intensity.to("FLOP/byte").magnitude,
                place.attainable.to("TFLOP/s").magnitude,
                linestyle="none",
                marker=markers[key],
                markersize=9,
                color=color,
                markeredgecolor="black",
                label=label,
            )
    ax.set_xlabel("arithmetic intensity (FLOP/byte)")
    ax.set_ylabel("attainable rate (TFLOP/s; TOPS for INT8)")
    ax.set_title("Lighthouse workloads on their home devices (open circle: ridge point)")
    ax.legend(fontsize=7, loc="lower right", ncol=2)

    def at(key: str, batch: int | None = None) -> str:
        return f"{lh.intensity(key, batch).to('FLOP/byte').magnitude:,.3g} FLOP/byte"

    big = max(resnet_batches) if resnet_batches else lh.LIGHTHOUSES["resnet50"].typical_batch
    return alt_text(
        fig,
        "Log-log roofline chart: attainable rate against arithmetic intensity, one roof per "
        "device ("
        + ", ".join(f"{hardware.get_device(d).name} at {p.upper()}" for d, p in roofs)
        + "), an open circle at each ridge point. "
        f"DLRM's embedding lookups ({at('dlrm')}) and Llama decoding ({at('llama', 1)}) sit far "
        "down the H100's sloped roof; ResNet-50, activations counted, is left of the H100's "
        f"ridge at batch 1 ({at('resnet50', 1)}) and right of it at batch {big} "
        f"({at('resnet50', big)}); MobileNetV2 ({at('mobilenetv2')}) is on the slope of the "
        "phone NPU's roof; the keyword spotter is on the flat, compute-bound part of the "
        "microcontroller's roof.",
    )
