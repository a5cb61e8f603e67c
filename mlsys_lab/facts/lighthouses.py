"""The five Lighthouse workloads: what each one stresses, and where it sits on a roofline.

Follows *Conclusion*, §Lighthouse models: Constraint propagation. The chapter names five
reference workloads that together span the deployment range from data center to
microcontroller, each exposing a different binding constraint:

============  ================================  =========================================
id            workload                          regime the chapter assigns
============  ================================  =========================================
resnet50      ResNet-50 image classification    batching moves it from memory- to
                                                compute-bound
llama         GPT-2 / Llama token generation    memory bandwidth (every token reloads
                                                the weights)
mobilenetv2   MobileNetV2 on a phone NPU        power and memory traffic on mobile
dlrm          DLRM recommendation               memory *capacity* (embedding tables)
kws           keyword spotting (DS-CNN)         every byte and milliwatt (TinyML)
============  ================================  =========================================

The intensity model (a napkin model, stated so it can be checked)
-----------------------------------------------------------------
The chapter gives each workload a regime but prints no arithmetic intensities, so this
module computes a representative one from three documented inputs::

    I(batch) = batch * ops_per_sample / (shared_bytes + batch * per_sample_bytes)

* ``ops_per_sample``: arithmetic per input in FLOP. Model sizes are quoted in
  multiply-accumulates and one MAC is 2 FLOPs (the convention of the cost-of-a-token
  napkin math, 2 x P per token).
* ``shared_bytes``: bytes read from main memory once per batch and reused by every input
  in it: the dense weights, at the workload's deployment precision.
* ``per_sample_bytes``: bytes each input moves for itself and cannot share. For the
  convolutional networks these are the **activations**: every layer's output is written
  to main memory once per input, at the deployment precision (the next layer's read of it
  is assumed to hit on-chip cache, and element-wise steps are fused into the convolutions).
  The counts come from the published layer tables (:func:`resnet50_activation_values`,
  :func:`mobilenetv2_activation_values`, :func:`dscnn_activation_values`). For DLRM they
  are the embedding rows a query gathers. The language model's KV cache is left out, so
  its figure is an upper bound.

With these assumptions ResNet-50 sits at about 110 FLOP/byte at batch 1 and about 360 at
batch 128 (FP16): in the low hundreds, where practitioners place it, on either side of the
H100's FP16 ridge (295). Ignoring activations would give 20,500 at batch 128, a figure no
real ResNet-50 reaches. DLRM's embedding stage stays at 0.5 FLOP/byte at any batch (one
add per gathered FP16 value) and its tables (1 TB, the low end of the chapter's
"terabyte-scale") need a dozen H100s just to be held.

Provenance of the inputs (see each record's ``source`` and ``note``): parameter and
operation counts come from :mod:`mlsys_lab.facts.constants` where the course has them (ResNet-50,
MobileNetV2, Llama 2 70B, DLRM's table size) and otherwise from the textbook's companion
library mlsysim (DS-CNN 200 k parameters and 20 M multiply-accumulates). DLRM's per-query
gather (26 sparse features, one 128-wide row each, summed) follows the public Criteo/DLRM
benchmark layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..science import precision, roofline
from ..units import Q_, Number, as_quantity, require_count
from . import constants as C
from . import hardware
from .hardware import Device
from .records import MLSYSIM, Registry, Sourced

__all__ = [
    "Lighthouse",
    "LIGHTHOUSES",
    "get_lighthouse",
    "intensity",
    "placement",
    "Placement",
    "capacity_ratio",
    "iron_law",
    "resnet50_activation_values",
    "mobilenetv2_activation_values",
    "dscnn_activation_values",
]


@dataclass(frozen=True)
class Lighthouse(Sourced):
    """One Lighthouse workload (a :class:`~mlsys_lab.facts.records.Sourced` record).

    Attributes
    ----------
    key: short id ("resnet50", "llama", "mobilenetv2", "dlrm", "kws").
    name: display name.
    regime: the binding constraint the chapter assigns, in a few words.
    home_device: id of the device in :mod:`mlsys_lab.facts.hardware` it is usually deployed on.
    precision: storage and compute precision on that device ("fp16", "int8", ...).
    parameters: parameter count (plain number).
    ops_per_sample: operations per input (FLOP; a multiply-accumulate counts 2).
    per_sample_bytes: bytes each input fetches for itself (not shared across a batch).
    model_bytes: total bytes the model must hold in memory (GB).
    typical_batch: the batch size its deployment usually runs at.
    source, note: provenance and modelling choices.
    """

    key: str
    name: str
    regime: str
    home_device: str
    precision: str
    parameters: float
    ops_per_sample: Number
    per_sample_bytes: Number
    model_bytes: Number
    typical_batch: int

    @property
    def shared_bytes(self):
        """Dense weight bytes read once per batch (GB)."""
        if self.key == "dlrm":
            # only the small dense MLPs are shared; the embedding tables are gathered per query
            return Q_(0.0, "GB")
        return precision.model_memory(self.parameters, self.precision)


def _flop(value: float):
    return Q_(value, "FLOP").to("GFLOP")


def resnet50_activation_values(resolution: Number = 224) -> int:
    """Output values of every layer of ResNet-50 (v1.5) for one image, summed.

    Stem (7x7/2 convolution, 3x3/2 max-pool), then four stages of bottleneck blocks
    (3, 4, 6, 3 blocks; 64, 128, 256, 512 middle channels, 4x that out; the first block of a
    stage strides in its 3x3 and adds a projection shortcut), after He et al. 2016, Table 1.
    About 11.3 million values at 224x224.
    """
    side = require_count(resolution, "resolution") // 2
    total = side * side * 64  # stem convolution
    side //= 2
    total += side * side * 64  # max-pool
    for mid, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
        for b in range(blocks):
            total += side * side * mid  # 1x1 reduce
            side //= stride if b == 0 else 1
            total += side * side * mid  # 3x3
            total += side * side * 4 * mid  # 1x1 expand (residual add fused)
            if b == 0:
                total += side * side * 4 * mid  # projection shortcut
    return total


def mobilenetv2_activation_values(resolution: Number = 224) -> int:
    """Output values of every layer of MobileNetV2 for one image, summed.

    A 3x3/2 stem convolution with 32 channels, the seven inverted-residual stages of
    Sandler et al. 2018, Table 2 (expansion t, output channels c, repeats n, stride s),
    and the final 1x1 convolution to 1,280 channels. About 6.7 million values at 224x224.
    """
    side = require_count(resolution, "resolution") // 2
    total = side * side * 32
    channels = 32
    for t, out, n, stride in (
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ):
        for i in range(n):
            hidden = channels * t
            if t != 1:
                total += side * side * hidden  # 1x1 expansion
            side //= stride if i == 0 else 1
            total += side * side * hidden  # 3x3 depthwise
            total += side * side * out  # 1x1 projection
            channels = out
    return total + side * side * 1280


def dscnn_activation_values(channels: Number = 172, blocks: Number = 4) -> int:
    """Output values of a DS-CNN keyword spotter for one audio window, summed.

    A 10x4/2 convolution turns 49x10 MFCC features into a 25x5 map of ``channels``
    features; each depthwise separable block writes a depthwise and a pointwise map of the
    same size (Zhang et al. 2017, "Hello Edge"; the medium model has 172 channels and about
    200 k parameters, mlsysim's entry). About 194 thousand values.
    """
    c = require_count(channels, "channels")
    n = require_count(blocks, "blocks")
    return 25 * 5 * c * (1 + 2 * n)


_MLSYSIM = f"{MLSYSIM}, constants"
_ACTIVATIONS = (
    "Activations counted: every layer's output is written to main memory once per input at the deployment precision"
)
_DLRM_PARAMETERS = float((C.DLRM_EMBEDDING_TABLES / Q_(2, "byte")).to("dimensionless").magnitude)

LIGHTHOUSES: Registry[Lighthouse] = Registry(
    "Lighthouse",
    Lighthouse,
    "workload",
    {
        "resnet50": Lighthouse(
            key="resnet50",
            name="ResNet-50",
            regime="compute-bound once batched; memory-bound at batch 1",
            home_device="h100",
            precision="fp16",
            parameters=float(C.RESNET50_PARAMS.magnitude),
            ops_per_sample=C.RESNET50_MACS.to("GFLOP"),
            per_sample_bytes=Q_(2 * resnet50_activation_values(), "byte").to("GB"),
            model_bytes=precision.model_memory(float(C.RESNET50_PARAMS.magnitude), "fp16"),
            typical_batch=int(C.RESNET_BATCH_SIZE.magnitude),
            source="mlsys_lab.facts.constants resnet50_macs (4.1 G multiply-accumulates) and "
            "resnet50_params (25.6 M); typical batch from resnet_batch_size; activations from "
            "the ResNet-50 layer table (resnet50_activation_values)",
            note="One multiply-accumulate is 2 FLOPs: 4.1 GMAC = 8.2 GFLOP. "
            + _ACTIVATIONS
            + " (FP16: about 23 MB per 224x224 image), so batching raises the intensity "
            "from about 110 towards a ceiling of about 360 FLOP/byte, not without limit.",
        ),
        "llama": Lighthouse(
            key="llama",
            name="GPT-2/Llama (decode)",
            regime="memory-bandwidth-bound: each token rereads every weight",
            home_device="h100",
            precision="fp16",
            parameters=float(C.LLAMA2_70B_PARAMS.magnitude),
            ops_per_sample=_flop(2 * float(C.LLAMA2_70B_PARAMS.magnitude)),
            per_sample_bytes=Q_(0.0, "GB"),
            model_bytes=precision.model_memory(float(C.LLAMA2_70B_PARAMS.magnitude), "fp16"),
            typical_batch=1,
            source="mlsys_lab.facts.constants llama2_70b_params; Conclusion, Napkin Math 1.1 (2 x P operations per token)",
            note="Llama 2 70B stands for the family; GPT-2 (1.5 B parameters in mlsysim) has the "
            "same per-token intensity, which depends only on bytes per parameter. KV-cache reads "
            "are left out, so the intensity (1 FLOP/byte at FP16, batch 1) is an upper bound. "
            "At FP16 the weights need two H100s (see capacity_ratio).",
        ),
        "mobilenetv2": Lighthouse(
            key="mobilenetv2",
            name="MobileNetV2",
            regime="power and memory traffic on a phone NPU",
            home_device="mobile_npu",
            precision="int8",
            parameters=float(C.MOBILENETV2_PARAMS.magnitude),
            ops_per_sample=C.MOBILENETV2_MACS.to("GFLOP"),
            per_sample_bytes=Q_(mobilenetv2_activation_values(), "byte").to("GB"),
            model_bytes=precision.model_memory(float(C.MOBILENETV2_PARAMS.magnitude), "int8"),
            typical_batch=1,
            source="mlsys_lab.facts.constants mobilenetv2_macs (300 M multiply-accumulates) and "
            "mobilenetv2_params (3.5 M); activations from the MobileNetV2 layer table "
            "(mobilenetv2_activation_values)",
            note="INT8 on the NPU, batch 1 (one camera frame per request). "
            + _ACTIVATIONS
            + " (INT8: about 6.7 MB per frame, more than the 3.5 MB of weights: the expanded "
            "inverted-residual layers are wide), which is why the model is memory-bound.",
        ),
        "dlrm": Lighthouse(
            key="dlrm",
            name="DLRM",
            regime="memory-capacity-bound: terabyte-class embedding tables",
            home_device="h100",
            precision="fp16",
            parameters=_DLRM_PARAMETERS,
            ops_per_sample=_flop(26 * 128),
            per_sample_bytes=Q_(26 * 128 * 2, "byte").to("GB"),
            model_bytes=precision.model_memory(_DLRM_PARAMETERS, "fp16"),
            typical_batch=256,
            source="mlsys_lab.facts.constants dlrm_embedding_tables (1 TB at FP16, the low end of the "
            "chapter's 'terabyte-scale'); gather layout after the public Criteo/DLRM benchmark "
            "(26 sparse features, 128-wide rows)",
            note="Only the embedding stage is modelled: each query gathers 26 rows of 128 FP16 "
            "values and sums them (one add per value), so intensity is 0.5 FLOP/byte at any "
            "batch, far below the H100's FP16 ridge. The dense MLPs are left out. Holding the "
            "tables takes about a dozen H100s before any arithmetic happens.",
        ),
        "kws": Lighthouse(
            key="kws",
            name="Keyword spotting (DS-CNN)",
            regime="every byte and milliwatt: sub-megabyte model on a microcontroller",
            home_device="microcontroller",
            precision="int8",
            parameters=200e3,
            ops_per_sample=_flop(2 * 20e6),
            per_sample_bytes=Q_(dscnn_activation_values(), "byte").to("GB"),
            model_bytes=precision.model_memory(200e3, "int8"),
            typical_batch=1,
            source=f"{_MLSYSIM}: KWS DS-CNN 200 k parameters, 20 M multiply-accumulates; "
            "activations from the DS-CNN layer shapes (dscnn_activation_values)",
            note="One audio window per inference. The published DS-CNN family spans roughly "
            "40 k to 500 k parameters; mlsysim's mid-sized entry is used. "
            + _ACTIVATIONS
            + " (INT8: about 0.19 MB per window).",
        ),
    },
)


def get_lighthouse(workload: Lighthouse | str) -> Lighthouse:
    """A :class:`Lighthouse` from a record or its id (case-insensitive)."""
    return LIGHTHOUSES.lookup(workload)


def intensity(workload: Lighthouse | str, batch_size: Number | None = None):
    """Arithmetic intensity (FLOP/byte) of ``workload`` at ``batch_size``.

    ``I = batch * ops_per_sample / (shared_bytes + batch * per_sample_bytes)``; the
    default batch is the workload's ``typical_batch``. Follows *Conclusion*, §Lighthouse
    models (and principle 6, the arithmetic intensity law).
    """
    w = get_lighthouse(workload)
    batch = w.typical_batch if batch_size is None else require_count(batch_size, "batch_size")
    ops = (batch * w.ops_per_sample).to("FLOP")
    moved = (w.shared_bytes + batch * w.per_sample_bytes).to("byte")
    return roofline.arithmetic_intensity(ops, moved)


def _precision_on(dev, wanted: str) -> str:
    """``wanted`` if the device has a peak rate for it, else the device's fastest precision."""
    if wanted.lower() in dev.peak_flops:
        return wanted.lower()
    return max(dev.peak_flops, key=lambda k: dev.peak_flops[k].to("TFLOP/s").magnitude)


def iron_law(
    workload: Lighthouse | str,
    batch_size: Number | None = None,
    *,
    efficiency: Number = 1.0,
    overhead: Number = 0,
    device: Device | str | None = None,
) -> roofline.IronLawResult:
    """The iron law's three terms for one batch of ``workload`` on ``device`` (default home).

    ``data_volume`` = shared_bytes + batch x per_sample_bytes, ``operations`` = batch x
    ops_per_sample, bandwidth and peak from the device (at the workload's precision when
    the device has it); ``efficiency`` is eta_hw and ``overhead`` the fixed L_lat (ms for a
    plain number). Follows *Conclusion*, §Thirteen Quantitative Invariants, principle 3.
    """
    w = get_lighthouse(workload)
    dev = hardware.get_device(w.home_device if device is None else device)
    batch = w.typical_batch if batch_size is None else require_count(batch_size, "batch_size")
    prec = _precision_on(dev, w.precision)
    return roofline.iron_law_time(
        data_volume=w.shared_bytes + batch * w.per_sample_bytes,
        bandwidth=dev.memory_bandwidth,
        operations=batch * w.ops_per_sample,
        peak_rate=dev.peak(prec),
        efficiency=efficiency,
        latency=overhead,
    )


@dataclass(frozen=True)
class Placement:
    """Where a workload lands on a device's roofline.

    ``intensity`` (FLOP/byte), ``ridge`` (FLOP/byte), ``attainable`` (TFLOP/s),
    ``bound`` ("memory-bound" or "compute-bound"), ``fits`` (the model fits in memory).
    """

    workload: str
    device: str
    batch_size: int
    intensity: Number
    ridge: Number
    attainable: Number
    bound: str
    fits: bool


def placement(
    workload: Lighthouse | str,
    device: Device | str | None = None,
    batch_size: Number | None = None,
    device_precision: str | None = None,
) -> Placement:
    """Place ``workload`` on ``device``'s roofline (default: its home device).

    ``device_precision`` picks the device's peak rate (default: the workload's precision).
    """
    w = get_lighthouse(workload)
    dev = hardware.get_device(w.home_device if device is None else device)
    batch = w.typical_batch if batch_size is None else require_count(batch_size, "batch_size")
    # a device without the wanted precision runs the workload at its fastest listed rate
    prec = _precision_on(dev, w.precision if device_precision is None else device_precision)
    i = intensity(w, batch)
    ridge = dev.ridge_point(prec)
    attainable = roofline.attainable_performance(i, dev.peak(prec), dev.memory_bandwidth)
    return Placement(
        workload=w.name,
        device=dev.name,
        batch_size=batch,
        intensity=i,
        ridge=ridge,
        attainable=attainable,
        bound=roofline.bound(i, ridge),
        fits=bool(w.model_bytes.to("GB").magnitude <= dev.memory_capacity.to("GB").magnitude),
    )


def capacity_ratio(workload: Lighthouse | str, device: Device | str | None = None) -> float:
    """Model bytes divided by device memory capacity (> 1: it does not fit on one device)."""
    w = get_lighthouse(workload)
    dev = hardware.get_device(w.home_device if device is None else device)
    cap = as_quantity(dev.memory_capacity, "GB", "memory_capacity")
    return float((w.model_bytes / cap).to("dimensionless").magnitude)
