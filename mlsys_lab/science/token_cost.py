"""The cost of one decode token: memory time against compute time.

Conclusion, §Thirteen Quantitative Invariants, Napkin Math 1.1 ("the cost of a token").
Generating one token with a P-parameter model reads every weight once per decode step
and does about 2 operations per parameter per sequence in the batch:

    bytes moved    D_vol  = P x bytes_per_parameter          (shared by the whole batch)
    operations     O      = 2 x P x batch_size
    memory time    T_mem  = D_vol / BW
    compute time   T_comp = O / R_peak
    ratio          T_mem / T_comp   (> 1: memory-bound)

For Llama 2 70B at FP16 with one H100's figures (3.35 TB/s, 989 TFLOP/s): 140 GB,
140 GFLOP, 41.8 ms against 0.14 ms, a ratio of 295.2. Storing the weights in INT4
(0.5 byte) cuts the bytes 4x and the ratio to about 74; the compute rate is left at the
FP16 peak, as the chapter does. Batching reuses each weight load across requests, so the
ratio falls as 1/batch.

Capacity comes first. 140 GB of FP16 weights do not fit in one H100's 80 GiB (85.9 GB):
the model needs ``devices_needed(70e9) == 2`` cards. With the weights split across
``devices`` cards (tensor parallelism), each card reads its share at the same time, so
the aggregate bandwidth and the aggregate peak both grow ``devices``-fold: on 2 x H100 the
memory time is 20.9 ms, the compute time 0.07 ms, and the ratio stays 295.2. The chapter's
41.8 ms is the same weight read priced at one card's bandwidth (41.8 card-milliseconds per
token). Every :class:`TokenCost` reports ``fits``; check it before reading the times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

from ..errors import InputError
from ..facts import hardware
from ..units import Q_, Number, positive_number, positive_quantity, require_count
from . import precision, roofline

__all__ = ["TokenCost", "decode_token_cost", "devices_needed", "batch_sweep", "breakeven_batch_size"]


@dataclass(frozen=True)
class TokenCost:
    """One decode step's costs.

    ``bytes_moved`` (GB), ``flops`` (GFLOP), ``memory_time`` and ``compute_time`` (ms),
    ``ratio`` = memory_time / compute_time (float), ``bound`` ("memory-bound" or
    "compute-bound"), ``arithmetic_intensity`` (FLOP/byte), ``step_time`` = the larger of
    the two lower bounds (ms), ``time_per_token`` = step_time / batch_size (ms).
    ``devices`` cards share the weights; ``memory_available`` is their total memory (GB)
    and ``fits`` says whether the weights fit in it (the first thing to check).
    """

    parameters: float
    weight_precision: str
    batch_size: int
    bytes_moved: Number
    flops: Number
    memory_time: Number
    compute_time: Number
    ratio: float
    bound: str
    arithmetic_intensity: Number
    step_time: Number
    time_per_token: Number
    devices: int = 1
    memory_available: Number | None = None
    fits: bool = True


def decode_token_cost(
    parameters: Number,
    weight_precision: str = "fp16",
    device: hardware.Device | str = "h100",
    *,
    batch_size: Number = 1,
    devices: Number = 1,
    compute_precision: str = "fp16",
    bandwidth: Number | None = None,
    peak_rate: Number | None = None,
) -> TokenCost:
    """Memory and compute lower bounds for one decode step (Conclusion, Napkin Math 1.1).

    Parameters
    ----------
    parameters: model parameter count P (plain number, e.g. ``70e9``).
    weight_precision: storage precision of the weights ("fp16", "int8", "int4", ...).
    device: a :class:`~mlsys_lab.facts.hardware.Device` or id (default the H100).
    batch_size: sequences decoded together; weights are read once per step.
    devices: cards the weights are split across (tensor parallelism): bandwidth, peak
        rate and memory capacity all add up over them.
    compute_precision: which of the device's peak rates to use (default "fp16").
    bandwidth, peak_rate: override the device (GB/s and TFLOP/s for plain numbers).
    """
    count = positive_number(parameters, "parameters")
    p = precision.model_memory(count, weight_precision)
    batch = require_count(batch_size, "batch_size")
    cards = require_count(devices, "devices")
    dev = hardware.get_device(device)
    bw = dev.memory_bandwidth if bandwidth is None else bandwidth
    peak = dev.peak(compute_precision) if peak_rate is None else peak_rate
    bw = cards * positive_quantity(bw, "GB / s", "bandwidth")
    peak = cards * positive_quantity(peak, "TFLOP / s", "peak_rate")
    capacity = (cards * dev.memory_capacity).to("GB")

    bytes_moved = p
    flops = Q_(2.0 * count * batch, "FLOP").to("GFLOP")
    memory_time = (bytes_moved / bw).to("ms")
    compute_time = (flops / peak).to("ms")
    ratio = float(memory_time.magnitude / compute_time.magnitude)
    intensity = roofline.arithmetic_intensity(flops, bytes_moved)
    ridge = roofline.ridge_point(peak, bw)
    step = max(memory_time, compute_time, key=lambda q: q.magnitude)
    return TokenCost(
        parameters=count,
        weight_precision=weight_precision.lower(),
        batch_size=batch,
        bytes_moved=bytes_moved,
        flops=flops,
        memory_time=memory_time,
        compute_time=compute_time,
        ratio=ratio,
        bound=roofline.bound(intensity, ridge),
        arithmetic_intensity=intensity,
        step_time=step,
        time_per_token=step / batch,
        devices=cards,
        memory_available=capacity,
        fits=bool(bytes_moved.to("GB").magnitude <= capacity.magnitude),
    )


def devices_needed(parameters: Number, weight_precision: str = "fp16", device: hardware.Device | str = "h100") -> int:
    """Fewest cards of ``device`` whose memory holds the weights (2 for 70 B at FP16 on H100s).

    Counts weights only (via :func:`mlsys_lab.facts.hardware.devices_to_hold`): the KV cache and
    activations need room too, so treat it as a floor.
    """
    from ..facts.hardware import devices_to_hold

    weights = precision.model_memory(positive_number(parameters, "parameters"), weight_precision)
    return devices_to_hold(weights, device)


def batch_sweep(parameters: Number, batch_sizes: Iterable[Number], **kwargs: Any) -> list[TokenCost]:
    """``decode_token_cost`` for each batch size (same keyword arguments), for plots."""
    if isinstance(batch_sizes, (str, bytes)) or not hasattr(batch_sizes, "__iter__"):
        raise InputError(f"batch_sizes: expected a sequence of whole numbers, got {batch_sizes!r}")
    sizes = list(batch_sizes)
    if not sizes:
        raise InputError("batch_sizes: needs at least one batch size")
    return [decode_token_cost(parameters, batch_size=b, **kwargs) for b in sizes]


def breakeven_batch_size(parameters: Number, **kwargs: Any) -> int:
    """Smallest batch at which compute time catches up with memory time.

    Equal to ``ceil(ratio at batch 1)``: about 296 for Llama 2 70B FP16 on an H100.
    """
    if "batch_size" in kwargs:
        raise InputError("batch_size: not accepted here; the function searches over it")
    single = decode_token_cost(parameters, batch_size=1, **kwargs)
    return max(1, math.ceil(single.ratio - 1e-12))
