"""Reference devices: peak rates by precision, memory, power, price, with provenance.

A :class:`Device` is a small immutable record. ``peak_flops`` maps a precision name
("fp32", "fp16", "bf16", "fp8", "int8", ...) to a dense peak rate (``FLOP/s``; integer
operations use the same unit). ``device.ridge_point("fp16")`` gives the roofline ridge
point in FLOP/byte (see :mod:`mlsys_lab.science.roofline`).

Devices
-------
``H100``              the Conclusion's data-center accelerator (cost of a token).
``JETSON_ORIN_NANO``  the ML Workflow's per-clinic edge device class (7-15 W).
``JETSON_ORIN_NX``    mid-range Jetson (10-25 W).
``JETSON_ORIN_AGX``   top Jetson (15-60 W).
``MOBILE_NPU``        the Conclusion's reference mobile platform (phone-class NPU).
``MICROCONTROLLER``   a TinyML-class microcontroller (keyword spotting).

``DEVICES`` maps short ids ("h100", "jetson_orin_nano", ...) to these records and
``compare_devices(big, small, precision)`` gives the "N times lower" ratios the
Conclusion quotes for the mobile NPU against the H100.

Vendor peak figures for Jetson modules are usually quoted *with* 2:4 structured
sparsity; this module stores dense rates (half the headline) so that every device is
compared on the same footing. Each record's ``note`` says where figures disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..errors import InputError
from ..science import roofline
from ..units import Q_, Number, positive_quantity, require_probability
from .records import CONCLUSION, ML_WORKFLOW, Registry, Sourced

__all__ = [
    "Device",
    "DeviceRatios",
    "DEVICES",
    "H100",
    "JETSON_ORIN_NANO",
    "JETSON_ORIN_NX",
    "JETSON_ORIN_AGX",
    "MOBILE_NPU",
    "MICROCONTROLLER",
    "compare_devices",
    "get_device",
    "devices_to_hold",
]


@dataclass(frozen=True)
class Device(Sourced):
    """One hardware platform (a :class:`~mlsys_lab.facts.records.Sourced` record).

    Attributes
    ----------
    name: display name.
    peak_flops: dense peak rate per precision, e.g. ``{"fp16": Q_(989, "TFLOP/s")}``.
    memory_bandwidth: main-memory bandwidth (``GB/s``).
    memory_capacity: main-memory capacity.
    power: power envelope (upper end of the configurable range where there is one).
    price: list price (``USD``) where known, else ``None``.
    source: where the figures come from.
    note: disagreements between sources and modelling choices.
    """

    name: str
    peak_flops: dict = field(hash=False)
    memory_bandwidth: Number
    memory_capacity: Number
    power: Number
    price: Number | None = None

    @property
    def precisions(self) -> tuple[str, ...]:
        """Precisions with a peak rate on record."""
        return tuple(self.peak_flops)

    def peak(self, precision: str = "fp16"):
        """The dense peak rate at ``precision`` (``TFLOP/s``)."""
        if not isinstance(precision, str):
            raise InputError(f"precision: expected a name such as 'fp16', got {precision!r}")
        key = precision.lower()
        if key not in self.peak_flops:
            raise InputError(
                f"precision: {self.name} has no peak rate for {precision!r}; known: {', '.join(self.peak_flops)}"
            )
        return self.peak_flops[key]

    def ridge_point(self, precision: str = "fp16"):
        """Roofline ridge point at ``precision``: peak rate / memory bandwidth (FLOP/byte)."""
        return roofline.ridge_point(self.peak(precision), self.memory_bandwidth)


@dataclass(frozen=True)
class DeviceRatios:
    """How many times larger the reference device is than the other, per resource."""

    reference: str
    other: str
    precision: str
    peak: float
    memory_bandwidth: float
    memory_capacity: float
    power: float


def _tflops(**rates: float) -> dict:
    # integer rates are labelled TOPS (same dimension as TFLOP/s, so they compare directly)
    return {k: Q_(v, "TOPS" if k.startswith("int") else "TFLOP / s") for k, v in rates.items()}


H100 = Device(
    name="NVIDIA H100 SXM",
    peak_flops=_tflops(fp32=67, tf32=494, fp16=989, bf16=989, fp8=1979, int8=1979),
    memory_bandwidth=Q_(3.35, "TB / s"),
    memory_capacity=Q_(80, "GiB"),
    power=Q_(700, "W"),
    price=Q_(30_000, "USD"),
    source=f"NVIDIA H100 data sheet (dense Tensor Core rates); {CONCLUSION}, §Thirteen "
    "Quantitative Invariants, Napkin Math 1.1 uses 3.35 TB/s and 989 TFLOP/s FP16",
    note="NVIDIA markets the memory as '80 GB'; the book's reference constants store 80 GiB "
    "(85.9 GB), which is what reproduces the Conclusion's 10.7x memory gap to an 8 GB phone. "
    "Sparse rates are twice the dense ones listed. Price is the book's rough unit-cost "
    "estimate, not a quote.",
)

JETSON_ORIN_NANO = Device(
    name="NVIDIA Jetson Orin Nano (8 GB)",
    peak_flops=_tflops(fp32=1.28, int8=20),
    memory_bandwidth=Q_(68, "GB / s"),
    memory_capacity=Q_(8, "GB"),
    power=Q_(15, "W"),
    price=Q_(499, "USD"),
    source=f"NVIDIA Jetson Orin Nano module data sheet; {ML_WORKFLOW}, §Data Collection, "
    "footnote on NVIDIA Jetson (4-8 GB LPDDR5, 7-15 W)",
    note="INT8 is the dense half of the 40 TOPS sparse headline (module total); FP32 is "
    "1024 CUDA cores x 2 x 0.625 GHz. The later 'Super' software mode raises the headline to "
    "67 TOPS, bandwidth to 102 GB/s and power to 25 W. Price is the original developer kit's "
    "launch price, close to the chapter's $500 clinic device; memory comes in 4 or 8 GB.",
)

JETSON_ORIN_NX = Device(
    name="NVIDIA Jetson Orin NX (16 GB)",
    peak_flops=_tflops(fp32=1.88, int8=50),
    memory_bandwidth=Q_(102.4, "GB / s"),
    memory_capacity=Q_(16, "GB"),
    power=Q_(25, "W"),
    price=None,
    source=f"NVIDIA Jetson Orin NX module data sheet; {ML_WORKFLOW}, §Data Collection, footnote "
    "on NVIDIA Jetson (10-25 W)",
    note="INT8 is the dense half of the 100 TOPS sparse headline; FP32 is 1024 cores x 2 x "
    "0.918 GHz. mlsysim's Jetson entry lists 25 TFLOP/s and the 100 TOPS headline instead.",
)

JETSON_ORIN_AGX = Device(
    name="NVIDIA Jetson AGX Orin (64 GB)",
    peak_flops=_tflops(fp32=5.32, int8=137.5),
    memory_bandwidth=Q_(204.8, "GB / s"),
    memory_capacity=Q_(64, "GB"),
    power=Q_(60, "W"),
    price=Q_(1_999, "USD"),
    source=f"NVIDIA Jetson AGX Orin data sheet; {ML_WORKFLOW}, §Data Collection, footnote on NVIDIA Jetson (15-60 W)",
    note="INT8 is the dense half of the 275 TOPS sparse headline (GPU plus deep-learning "
    "accelerators); FP32 is 2048 cores x 2 x 1.3 GHz. Price is the developer kit's list price.",
)

MOBILE_NPU = Device(
    name="Reference mobile NPU (phone-class, A17 Pro-like)",
    peak_flops=_tflops(int8=35),
    memory_bandwidth=Q_(51.2, "GB / s"),
    memory_capacity=Q_(8, "GB"),
    power=Q_(3, "W"),
    price=None,
    source=f"{CONCLUSION}, §Future Directions (56.5x lower INT8 peak, 10.7x less memory, 233.3x "
    "smaller power envelope than an H100); figures from the book's reference constants",
    note="The chapter's three ratios are reproduced by 35 TOPS INT8 (1979/35 = 56.5), 8 GB of "
    "RAM against the H100's 80 GiB (10.7; the ratio is memory capacity, 'headroom', not "
    "bandwidth) and a 3 W envelope (700/3 = 233.3). Bandwidth is not printed in the chapter "
    "and sources disagree: mlsysim versions give 100, 68 and 51.2 GB/s; 51.2 GB/s "
    "(LPDDR5-6400 on a 64-bit bus) is used here. One mlsysim phone entry uses a 5 W TDP "
    "(which would give 140x).",
)

MICROCONTROLLER = Device(
    name="Reference microcontroller (TinyML class)",
    peak_flops={"int8": Q_(0.5, "GOPS")},
    memory_bandwidth=Q_(0.2, "GB / s"),
    memory_capacity=Q_(256, "KiB"),
    power=Q_(0.1, "W"),
    price=None,
    source=f"{ML_WORKFLOW}, §Lifecycle Stages (256 KB SRAM-class keyword-spotting device); "
    "order-of-magnitude compute and bandwidth from mlsysim's tiny-device entries",
    note="SRAM disagreement: the chapter's KWS archetype and TinyML pitfall use 256 KB, "
    "mlsysim's microcontroller references use 512 KiB. Power is an active-mode order of "
    "magnitude; always-on keyword spotting averages below 1 mW by duty cycling.",
)

DEVICES: Registry[Device] = Registry(
    "device",
    Device,
    "device",
    {
        "h100": H100,
        "jetson_orin_nano": JETSON_ORIN_NANO,
        "jetson_orin_nx": JETSON_ORIN_NX,
        "jetson_orin_agx": JETSON_ORIN_AGX,
        "mobile_npu": MOBILE_NPU,
        "microcontroller": MICROCONTROLLER,
    },
)


def get_device(device: Device | str) -> Device:
    """A :class:`Device` from a record or an id in ``DEVICES`` (case-insensitive)."""
    return DEVICES.lookup(device)


def compare_devices(reference: Device | str, other: Device | str, precision: str = "int8") -> DeviceRatios:
    """Ratios reference/other for peak rate, bandwidth, capacity and power.

    Each field is how many times larger the reference device's figure is, so
    ``compare_devices(H100, MOBILE_NPU)`` reproduces the Conclusion's "about 56.5x lower
    INT8 peak, 10.7x less memory, 233.3x smaller power envelope" (Conclusion, §Future
    Directions, applying principles to emerging deployment contexts).
    """
    ref = get_device(reference)
    oth = get_device(other)

    def ratio(a, b) -> float:
        return float((a / b).to("dimensionless").magnitude)

    return DeviceRatios(
        reference=ref.name,
        other=oth.name,
        precision=precision,
        peak=ratio(ref.peak(precision), oth.peak(precision)),
        memory_bandwidth=ratio(ref.memory_bandwidth, oth.memory_bandwidth),
        memory_capacity=ratio(ref.memory_capacity, oth.memory_capacity),
        power=ratio(ref.power, oth.power),
    )


def devices_to_hold(model_bytes: Number, device: Device | str = "h100", usable_fraction: Number = 1.0) -> int:
    """Smallest number of ``device`` accelerators whose memory holds ``model_bytes``.

    Conclusion, §Journey Forward, "The engineering responsibility": a model whose weights do
    not fit on one accelerator needs several, ``ceil(model_bytes / (capacity x
    usable_fraction))``; Llama 2 70B at FP16 (140 GB) needs 2 H100s, at INT4 (35 GB) one.

    ``usable_fraction`` in (0, 1] is the share of each device's memory left for weights
    (activations, KV cache and runtime take the rest). Only the weights are counted, so
    the result is a lower bound.
    """
    size = positive_quantity(model_bytes, "GB", "model_bytes")
    dev = get_device(device)
    frac = require_probability(usable_fraction, "usable_fraction")
    if frac == 0.0:
        raise InputError(f"usable_fraction: must be in (0, 1], got {frac:g}")
    usable = dev.memory_capacity.to("GB").magnitude * frac
    # tiny tolerance so that a model exactly filling n devices needs n, not n + 1
    return max(1, math.ceil(size.to("GB").magnitude / usable - 1e-12))
