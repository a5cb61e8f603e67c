"""The iron law of ML systems and roofline reasoning.

Iron law (Conclusion, §Thirteen Quantitative Invariants, principle 3; ML Workflow,
§Lifecycle Stages, Systems Perspective 1.1)::

    T = D_vol / BW  +  O / (R_peak * eta_hw)  +  L_lat

Arithmetic intensity law (principle 6)::

    R_attain = min(R_peak, I * BW),   I = O / D_vol   (FLOP per byte)

The ridge point ``R_peak / BW`` is the intensity at which the two roofs meet: below it a
kernel is memory-bound, at or above it compute-bound.

Default units for plain numbers: data volumes in GB, bandwidths in GB/s, operation counts
in GFLOP, peak rates in TFLOP/s, latencies in ms, intensities in FLOP/byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..units import (
    Q_,
    Number,
    as_float_array,
    as_number,
    nonnegative_quantity,
    positive_quantity,
)

__all__ = [
    "IronLawResult",
    "iron_law_time",
    "ridge_point",
    "attainable_performance",
    "bound",
    "arithmetic_intensity",
    "roofline_curve",
]


@dataclass(frozen=True)
class IronLawResult:
    """The three iron-law terms (ms) and their sum.

    ``data_time`` = D_vol/BW, ``compute_time`` = O/(R_peak*eta), ``latency`` = L_lat,
    ``total`` = their sum, ``dominant`` names the largest term ("data movement",
    "compute" or "overhead").
    """

    data_time: Number
    compute_time: Number
    latency: Number
    total: Number
    dominant: str


def _efficiency(value: Number, name: str = "efficiency") -> float:
    eta = as_number(value, name)
    if not 0.0 < eta <= 1.0:
        raise InputError(f"{name}: must be in (0, 1], got {eta:g}")
    return eta


def iron_law_time(
    data_volume: Number,
    bandwidth: Number,
    operations: Number,
    peak_rate: Number,
    efficiency: Number = 1.0,
    latency: Number = 0,
) -> IronLawResult:
    """Time for one workload step under the iron law.

    ``T = data_volume/bandwidth + operations/(peak_rate*efficiency) + latency``.

    Parameters (plain numbers are read in the default unit shown)
    ----------
    data_volume: bytes moved, GB (>= 0).
    bandwidth: memory or link bandwidth, GB/s (> 0).
    operations: operations performed, GFLOP (>= 0).
    peak_rate: hardware peak, TFLOP/s (> 0).
    efficiency: achieved fraction of peak, eta_hw in (0, 1].
    latency: fixed overhead L_lat, ms (>= 0).

    Returns an :class:`IronLawResult` with every term in ms. Source: Conclusion,
    §Thirteen Quantitative Invariants (principle 3) and Napkin Math 1.1.
    """
    d_vol = nonnegative_quantity(data_volume, "GB", "data_volume")
    bw = positive_quantity(bandwidth, "GB / s", "bandwidth")
    ops = nonnegative_quantity(operations, "GFLOP", "operations")
    peak = positive_quantity(peak_rate, "TFLOP / s", "peak_rate")
    eta = _efficiency(efficiency)
    lat = nonnegative_quantity(latency, "ms", "latency")
    t_data = (d_vol / bw).to("ms")
    t_compute = (ops / (peak * eta)).to("ms")
    total = (t_data + t_compute + lat).to("ms")
    terms = {"data movement": t_data, "compute": t_compute, "overhead": lat}
    dominant = max(terms, key=lambda k: terms[k].magnitude)
    return IronLawResult(t_data, t_compute, lat, total, dominant)


def ridge_point(peak_rate: Number, bandwidth: Number):
    """Roofline ridge point ``peak_rate / bandwidth`` in FLOP/byte.

    Plain numbers: ``peak_rate`` in TFLOP/s, ``bandwidth`` in GB/s. For the H100 (989
    TFLOP/s FP16, 3.35 TB/s) this is about 295 FLOP/byte (Conclusion, §Thirteen
    Quantitative Invariants, principle 6).
    """
    peak = positive_quantity(peak_rate, "TFLOP / s", "peak_rate")
    bw = positive_quantity(bandwidth, "GB / s", "bandwidth")
    return (peak / bw).to("FLOP / byte")


def arithmetic_intensity(ops: Number, bytes_moved: Number):
    """Operations per byte moved, ``I = O / D_vol``, in FLOP/byte.

    Plain numbers: ``ops`` in FLOP, ``bytes_moved`` in bytes. A batch-1 FP16 decode step
    does 2P operations on 2P bytes of weights, so I is about 1 (Conclusion, Napkin Math 1.1).
    """
    o = nonnegative_quantity(ops, "FLOP", "ops")
    b = positive_quantity(bytes_moved, "byte", "bytes_moved")
    return (o / b).to("FLOP / byte")


def attainable_performance(intensity: Number, peak_rate: Number, bandwidth: Number):
    """Attainable rate ``min(peak_rate, intensity * bandwidth)`` in TFLOP/s.

    Plain numbers: ``intensity`` in FLOP/byte, ``peak_rate`` in TFLOP/s, ``bandwidth``
    in GB/s (Conclusion, principle 6, the arithmetic intensity law).
    """
    i = nonnegative_quantity(intensity, "FLOP / byte", "intensity")
    peak = positive_quantity(peak_rate, "TFLOP / s", "peak_rate")
    bw = positive_quantity(bandwidth, "GB / s", "bandwidth")
    memory_roof = (i * bw).to("TFLOP / s")
    return min(peak, memory_roof, key=lambda q: q.magnitude)


def bound(intensity: Number, ridge: Number) -> str:
    """ "memory-bound" if intensity < ridge, else "compute-bound" (both in FLOP/byte)."""
    i = nonnegative_quantity(intensity, "FLOP / byte", "intensity")
    r = positive_quantity(ridge, "FLOP / byte", "ridge")
    return "memory-bound" if i.magnitude < r.magnitude else "compute-bound"


def roofline_curve(intensities: Any, peak_rate: Number, bandwidth: Number):
    """Attainable TFLOP/s for each intensity (FLOP/byte), as a quantity array for plots."""
    import numpy as np

    values = as_float_array(intensities, "intensities", nonnegative=True, unit="FLOP / byte")
    peak = positive_quantity(peak_rate, "TFLOP / s", "peak_rate")
    bw = positive_quantity(bandwidth, "GB / s", "bandwidth")
    memory_roof = values * bw.to("TB / s").magnitude  # FLOP/byte * TB/s = TFLOP/s
    return Q_(np.minimum(peak.magnitude, memory_roof), "TFLOP / s")
