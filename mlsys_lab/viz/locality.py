"""Plot of what broken locality costs, tier by tier.

Follows *ML Workflow*, §ML vs. traditional software ("The erosion of determinism") and its
footnote on locality of reference: when a training loader draws samples in a fresh random
order every epoch, caches and prefetchers stop helping and each access pays the latency of
a slower tier. The penalties, in multiples of an L1 cache hit, come from
:func:`mlsys_lab.science.locality.memory_tier_penalties`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..science.locality import memory_tier_penalties
from . import alt_text, figure_or_note

__all__ = ["plot_locality_penalties"]


def _compact(multiple: float) -> str:
    """1 -> "1×", 10000 -> "10k×", 2e8 -> "200M×" (labels short enough to sit side by side)."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if multiple >= size:
            return f"{multiple / size:,.3g}{suffix}×"
    return f"{multiple:,.3g}×"


@figure_or_note
def plot_locality_penalties(include_object_storage: bool = True, annotate: bool = True) -> Figure:
    """Log-scale bars of each tier's access cost relative to an L1 hit (low and high end).

    ``include_object_storage`` adds the object-storage tier (§Data Collection) after the
    footnote's L1, DRAM and NVMe tiers; ``annotate`` writes each bar's multiple above it.
    """
    tiers = memory_tier_penalties(include_object_storage=include_object_storage)
    x = np.arange(len(tiers))
    width = 0.38
    lows = [t.penalty_low for t in tiers]
    highs = [t.penalty_high for t in tiers]
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.subplots()
    bars_low = ax.bar(x - width / 2, lows, width, color="C0", label="low end of range")
    bars_high = ax.bar(x + width / 2, highs, width, color="C3", label="high end of range")
    ax.set_yscale("log")
    ax.set_ylim(0.5, max(highs) * 20)
    ax.set_xticks(x)
    ax.set_xticklabels(
        [
            f"{t.tier}\n{t.latency_low:~P}" + ("" if t.latency_low == t.latency_high else f"–{t.latency_high:~P}")
            for t in tiers
        ],
        fontsize=8,
    )
    ax.set_xlabel("memory tier (access latency)")
    ax.set_ylabel("cost of one access (multiples of an L1 hit, log scale)")
    ax.set_title("What a cache miss costs at each tier")
    if annotate:
        for bars in (bars_low, bars_high):
            for bar in bars:
                ax.annotate(
                    _compact(bar.get_height()),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
    ax.legend(loc="upper left", fontsize=8)
    return alt_text(
        fig,
        f"Bar chart on a logarithmic scale of what one memory access costs, in multiples of an L1 "
        f"cache hit, at each of {len(tiers)} tiers, with a pair of bars for the low and high end of "
        "each tier's latency range. " + "; ".join(t.describe() for t in tiers) + ". Each step down "
        "the hierarchy multiplies the cost, so a loader whose random order defeats the caches pays "
        "a slower tier's price on most accesses.",
    )
