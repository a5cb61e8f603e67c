"""Numeric precision: bytes per parameter, memory ratios and model footprints.

Fewer bits per value shrink both the memory a model occupies and the bytes each
inference must move. INT8 stores a weight in 1 byte, FP16 in 2 and FP32 in 4, so INT8
gives a 4x reduction against FP32 and 2x against FP16 (Conclusion, §Synthesizing ML
Systems, MobileNetV2 journey table, compression row). Mixed-precision training keeps
tensors in FP16 instead of FP32 and so halves the bytes of the data-movement term
(Conclusion, §Principles in Practice, engineering for scale).
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..units import Q_, Number, positive_number, require_probability

__all__ = [
    "BYTES_PER_PARAMETER",
    "bytes_per_parameter",
    "memory_ratio",
    "model_memory",
    "mixed_precision_reduction",
]

#: Storage per value, in bytes, for the precisions the course uses.
BYTES_PER_PARAMETER: dict[str, float] = {
    "fp64": 8.0,
    "fp32": 4.0,
    "tf32": 4.0,  # stored in 32-bit containers
    "fp16": 2.0,
    "bf16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "int4": 0.5,
}


def _key(precision: Any, name: str = "precision") -> str:
    if not isinstance(precision, str):
        raise InputError(f"{name}: expected a precision name such as 'fp16', got {precision!r}")
    key = precision.lower()
    if key not in BYTES_PER_PARAMETER:
        raise InputError(f"{name}: unknown precision {precision!r}; known: {', '.join(BYTES_PER_PARAMETER)}")
    return key


def bytes_per_parameter(precision: str):
    """Bytes needed to store one value at ``precision`` (quantity in bytes)."""
    return Q_(BYTES_PER_PARAMETER[_key(precision)], "byte")


def memory_ratio(high: str, low: str) -> float:
    """How many times smaller values become going from ``high`` to ``low`` precision.

    ``memory_ratio("fp32", "int8") == 4.0``; ``memory_ratio("fp16", "int8") == 2.0``.
    """
    return BYTES_PER_PARAMETER[_key(high, "high")] / BYTES_PER_PARAMETER[_key(low, "low")]


def model_memory(parameters: Number, precision: str = "fp16"):
    """Weight memory ``parameters x bytes_per_parameter(precision)``, in GB (decimal).

    A 70-billion-parameter model at FP16 needs 140 GB (Conclusion, Napkin Math 1.1).
    """
    count = positive_number(parameters, "parameters")
    return (Q_(count, "dimensionless") * bytes_per_parameter(precision)).to("GB")


def mixed_precision_reduction(fraction_converted: Number = 1.0, high: str = "fp32", low: str = "fp16") -> float:
    """Factor by which bytes moved shrink when a share of tensors moves to ``low`` precision.

    ``1 / ((1 - f) + f * bytes(low)/bytes(high))``; with every tensor converted from FP32
    to FP16 (f = 1) the bytes halve, a factor of 2.0.
    """
    f = require_probability(fraction_converted, "fraction_converted")
    ratio = BYTES_PER_PARAMETER[_key(low, "low")] / BYTES_PER_PARAMETER[_key(high, "high")]
    return 1.0 / ((1.0 - f) + f * ratio)
