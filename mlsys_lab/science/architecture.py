"""Architecture arithmetic: convolution costs, model operation ratios, search spaces.

* Depthwise separable convolution (Conclusion, §Synthesizing ML Systems, MobileNetV2
  journey table; ML Workflow footnote on depthwise separable convolutions). A standard
  KxK convolution from M to N channels costs K*K*M*N multiply-accumulates per output
  position; the separable version costs K*K*M (depthwise) + M*N (pointwise). The saving
  is ``1 / (1/N + 1/K**2)``: 8.7x for a 3x3 layer with 256 output channels.
* Model operation ratios: a ResNet-152-class model at ~11 G against MobileNetV2 at ~300 M
  is ~37x (ML Workflow, §Model Development self-check); ResNet-50 (4.1 G) against
  MobileNetV2 is 13.7x (Conclusion). These counts are multiply-accumulates (``GMAC``,
  ``MMAC``; 1 MAC = 2 FLOPs), and a ratio is the same in either unit.
* Grid search: every combination is a full training run, so 5 hyperparameters with 4
  values each need 4**5 = 1,024 runs (ML Workflow, §Model Development footnote).
* Ensembles multiply serving cost by the number of members: a 50-model ensemble needs
  about 50x the inference memory and compute.
"""

from __future__ import annotations

from ..facts import constants as C
from ..units import Number, positive_number, positive_quantity, require_count

__all__ = [
    "conv_macs",
    "depthwise_separable_macs",
    "depthwise_separable_savings",
    "ops_ratio",
    "ensemble_cost",
]


def conv_macs(height: Number, width: Number, kernel_size: Number, in_channels: Number, out_channels: Number) -> int:
    """Multiply-accumulates of a standard convolution: H x W x K x K x M x N."""
    h = require_count(height, "height")
    w = require_count(width, "width")
    k = require_count(kernel_size, "kernel_size")
    m = require_count(in_channels, "in_channels")
    n = require_count(out_channels, "out_channels")
    return h * w * k * k * m * n


def depthwise_separable_macs(
    height: Number, width: Number, kernel_size: Number, in_channels: Number, out_channels: Number
) -> int:
    """Multiply-accumulates of a depthwise separable convolution: H x W x (K*K*M + M*N)."""
    h = require_count(height, "height")
    w = require_count(width, "width")
    k = require_count(kernel_size, "kernel_size")
    m = require_count(in_channels, "in_channels")
    n = require_count(out_channels, "out_channels")
    return h * w * (k * k * m + m * n)


def depthwise_separable_savings(
    kernel_size: Number = C.DW_KERNEL_SIZE, out_channels: Number = C.DW_OUTPUT_CHANNELS
) -> float:
    """Standard / separable cost ratio: ``1 / (1/N + 1/K**2)`` (8.69 for K=3, N=256).

    Independent of the input channels and the spatial size.
    """
    k = require_count(kernel_size, "kernel_size")
    n = require_count(out_channels, "out_channels")
    return 1.0 / (1.0 / n + 1.0 / (k * k))


def ops_ratio(ops_a: Number, ops_b: Number) -> float:
    """How many times more operations model A needs than model B (plain numbers in GFLOP)."""
    a = positive_quantity(ops_a, "GFLOP", "ops_a")
    b = positive_quantity(ops_b, "GFLOP", "ops_b")
    return float((a / b).to("dimensionless").magnitude)


def ensemble_cost(members: Number, per_model: Number = 1.0):
    """Serving cost of an ensemble: ``members x per_model`` (same unit as ``per_model``).

    With ``per_model`` a plain number (default 1) the result is the multiplier itself.
    """
    n = require_count(members, "members")
    if hasattr(per_model, "dimensionality"):
        return positive_quantity(per_model, str(per_model.units), "per_model") * n
    return positive_number(per_model, "per_model") * n
