"""Locality of reference: what one access costs at each tier of the memory hierarchy.

ML Workflow, §ML vs. traditional software, footnote on locality of reference: taking an L1 hit
(~1 ns) as the unit, a DRAM access (50-100 ns) costs 50-100x and an NVMe read (10-100 us)
10,000-100,000x; §Data Collection adds warm object storage (100-200 ms per request), where a
shuffled loader that misses every cache ends up. Random shuffling of a huge dataset pays the
worst case at every level. :func:`memory_tier_penalties` is the one table of these tiers; the
plot is :mod:`mlsys_lab.viz.locality`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..facts import constants as C
from ..units import Number, positive_quantity

__all__ = ["locality_penalty", "TierPenalty", "memory_tier_penalties"]


def locality_penalty(access_latency: Number, reference_latency: Number = C.L1_HIT_LATENCY) -> float:
    """How many L1 hits one access costs: ``access_latency / reference_latency`` (ns)."""
    a = positive_quantity(access_latency, "ns", "access_latency")
    ref = positive_quantity(reference_latency, "ns", "reference_latency")
    return float((a / ref).to("dimensionless").magnitude)


@dataclass(frozen=True)
class TierPenalty:
    """One memory tier: its latency range and the matching range of L1-hit multiples."""

    tier: str
    latency_low: Number
    latency_high: Number
    penalty_low: float
    penalty_high: float

    def describe(self) -> str:
        """One line such as ``DRAM: 50 ns to 100 ns, 50x to 100x an L1 hit``."""
        if self.latency_low == self.latency_high:
            return f"{self.tier}: {self.latency_low:~P}, {self.penalty_low:,.0f}x an L1 hit"
        return (
            f"{self.tier}: {self.latency_low:~P} to {self.latency_high:~P}, "
            f"{self.penalty_low:,.0f}x to {self.penalty_high:,.0f}x an L1 hit"
        )


_TIERS: tuple[tuple[str, Any, Any], ...] = (
    ("L1 cache", C.L1_HIT_LATENCY, C.L1_HIT_LATENCY),
    ("DRAM", C.DRAM_LATENCY_LOW, C.DRAM_LATENCY_HIGH),
    ("NVMe SSD", C.NVME_LATENCY_LOW, C.NVME_LATENCY_HIGH),
)


def _clean(ratio: float) -> float:
    """9999.999999999998 -> 10000.0 (pint's unit conversions leave float noise)."""
    return float(f"{ratio:.12g}")


def memory_tier_penalties(include_object_storage: bool = False) -> list[TierPenalty]:
    """The chapter's memory tiers with their penalty ranges relative to an L1 hit.

    L1 cache, DRAM and NVMe SSD come from the locality footnote (§ML vs. traditional
    software). ``include_object_storage`` adds the warm object-storage tier of
    §Data Collection (100-200 ms per request), where a shuffled loader that misses every
    cache ends up.
    """
    tiers = list(_TIERS)
    if include_object_storage:
        tiers.append(("Object storage", C.OBJECT_STORAGE_LATENCY_LOW, C.OBJECT_STORAGE_LATENCY_HIGH))
    return [
        TierPenalty(
            tier=name,
            latency_low=low,
            latency_high=high,
            penalty_low=_clean(locality_penalty(low)),
            penalty_high=_clean(locality_penalty(high)),
        )
        for name, low, high in tiers
    ]
