"""Energy of data movement against energy of arithmetic.

Conclusion, §Thirteen Quantitative Invariants, principle 7 (energy-movement invariant):
with the book's reference constants (Horowitz, 45 nm) one DRAM access (640 pJ) costs
about 173x the energy of an FP32 multiply (3.7 pJ) and 582x that of an FP16 multiply
(1.1 pJ). Whether movement dominates a *workload* also depends on how many of each event
it performs, which :func:`workload_energy` makes explicit.

One access moves 32 bits (4 bytes; Han et al. 2016 after Horowitz 2014), so DRAM traffic
costs 160 pJ per byte: :func:`dram_accesses` turns a data volume into accesses and
:func:`movement_energy` prices it. Reading the 140 GB of FP16 weights of a 70 B model
once is 35 billion accesses, about 22 J.

Plain-number defaults: energies in pJ.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..facts import constants as C
from ..units import Number, nonnegative_number, nonnegative_quantity, positive_quantity

__all__ = [
    "OP_ENERGY",
    "energy_ratio",
    "movement_vs_compute",
    "EnergyBreakdown",
    "workload_energy",
    "dram_accesses",
    "movement_energy",
    "energy_per_byte",
]

#: Reference energy per arithmetic operation, by precision.
OP_ENERGY: dict[str, Number] = {
    "fp32": C.FP32_OP_ENERGY,
    "fp16": C.FP16_OP_ENERGY,
    "int8": C.INT8_OP_ENERGY,
}


def energy_ratio(movement_energy: Number, compute_energy: Number) -> float:
    """How many operations' worth of energy one data movement costs (pJ / pJ)."""
    move = positive_quantity(movement_energy, "pJ", "movement_energy")
    op = positive_quantity(compute_energy, "pJ", "compute_energy")
    return float((move / op).to("dimensionless").magnitude)


def _op_energy(precision: str | Number):
    if not isinstance(precision, str):
        return positive_quantity(precision, "pJ", "precision")
    key = precision.lower()
    if key not in OP_ENERGY:
        raise InputError(f"precision: unknown precision {precision!r}; known: {', '.join(OP_ENERGY)}")
    return OP_ENERGY[key]


def movement_vs_compute(precision: str | Number = "fp32", access_energy: Number = C.DRAM_ACCESS_ENERGY) -> float:
    """DRAM access energy over one operation's energy: 173 for FP32, 582 for FP16."""
    return energy_ratio(access_energy, _op_energy(precision))


@dataclass(frozen=True)
class EnergyBreakdown:
    """``movement``, ``compute`` and ``total`` energy (joules) and ``movement_share``."""

    movement: Number
    compute: Number
    total: Number
    movement_share: float


def workload_energy(
    memory_accesses: Number,
    operations: Number,
    precision: str | Number = "fp32",
    access_energy: Number = C.DRAM_ACCESS_ENERGY,
) -> EnergyBreakdown:
    """Energy of ``memory_accesses`` DRAM accesses plus ``operations`` arithmetic ops.

    ``precision`` names the operation energy ("fp32", "fp16", "int8") or gives it directly.
    """
    accesses = nonnegative_number(memory_accesses, "memory_accesses")
    ops = nonnegative_number(operations, "operations")
    move = (accesses * positive_quantity(access_energy, "pJ", "access_energy")).to("J")
    compute = (ops * _op_energy(precision)).to("J")
    total = (move + compute).to("J")
    share = float(move.magnitude / total.magnitude) if total.magnitude > 0 else 0.0
    return EnergyBreakdown(movement=move, compute=compute, total=total, movement_share=share)


def energy_per_byte(access_energy: Number = C.DRAM_ACCESS_ENERGY, access_width: Number = C.DRAM_ACCESS_WIDTH):
    """DRAM energy per byte moved: 640 pJ per 32-bit access is 160 pJ/byte."""
    e = positive_quantity(access_energy, "pJ", "access_energy")
    width = positive_quantity(access_width, "byte", "access_width")
    return (e / width).to("pJ / byte")


def dram_accesses(data_volume: Number, access_width: Number = C.DRAM_ACCESS_WIDTH) -> float:
    """DRAM accesses needed to move ``data_volume`` (bytes for a plain number), 4 bytes each."""
    volume = nonnegative_quantity(data_volume, "byte", "data_volume")
    width = positive_quantity(access_width, "byte", "access_width")
    return float((volume / width).to("dimensionless").magnitude)


def movement_energy(
    data_volume: Number, access_energy: Number = C.DRAM_ACCESS_ENERGY, access_width: Number = C.DRAM_ACCESS_WIDTH
):
    """Energy (J) of moving ``data_volume`` through DRAM: 140 GB costs about 22.4 J."""
    volume = nonnegative_quantity(data_volume, "byte", "data_volume")
    return (volume * energy_per_byte(access_energy, access_width)).to("J")
