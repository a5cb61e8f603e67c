"""Where the time goes: survey shares and memory-hierarchy locality penalties.

* ML Workflow, §ML Lifecycle, quantifying the ML lifecycle: in the 2016 CrowdFlower
  survey 60% of respondents named cleaning and organizing data as their biggest time
  sink and 19% named collecting data sets, 79% together; model-focused activities drew
  16%. (These are shares of "most time" answers, not a project effort budget.)
* ML Workflow, §ML vs. traditional software, footnote on locality of reference: taking
  an L1 hit (~1 ns) as the unit, a DRAM access (50-100 ns) is a 50-100x penalty and an
  NVMe read (10-100 us) a 10,000-100,000x penalty. Random shuffling of huge datasets
  pays the worst case at every level.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import constants as C
from .errors import InputError
from .units import Number, positive_quantity, require_probability

__all__ = ["data_work_share", "locality_penalty", "PenaltyRange", "locality_penalties"]


def data_work_share(*shares: Number) -> float:
    """Combined share of several survey answers: their sum (0.60 + 0.19 = 0.79).

    Each share must be in [0, 1] and together they may not exceed 1.
    """
    items = list(shares)
    if len(items) == 1 and isinstance(items[0], (list, tuple)):
        items = list(items[0])
    if not items:
        raise InputError("shares: needs at least one share")
    total = sum(require_probability(s, f"shares[{i}]") for i, s in enumerate(items))
    if total > 1.0 + 1e-9:
        raise InputError(f"shares: together they must not exceed 1, got {total:g}")
    return total


def locality_penalty(access_latency: Number, reference_latency: Number = C.L1_HIT_LATENCY) -> float:
    """How many L1 hits one access costs: ``access_latency / reference_latency`` (ns)."""
    a = positive_quantity(access_latency, "ns", "access_latency")
    ref = positive_quantity(reference_latency, "ns", "reference_latency")
    return float((a / ref).to("dimensionless").magnitude)


@dataclass(frozen=True)
class PenaltyRange:
    """Low and high penalty (multiples of an L1 hit) for one memory tier."""

    tier: str
    low: float
    high: float


def locality_penalties() -> dict[str, PenaltyRange]:
    """The chapter's penalty ranges: DRAM 50-100x, NVMe 10,000-100,000x an L1 hit."""
    return {
        "dram": PenaltyRange("dram", locality_penalty(C.DRAM_LATENCY_LOW),
                             locality_penalty(C.DRAM_LATENCY_HIGH)),
        "nvme": PenaltyRange("nvme", locality_penalty(C.NVME_LATENCY_LOW),
                             locality_penalty(C.NVME_LATENCY_HIGH)),
    }
