"""Storage tiers: what it costs to keep a dataset hot, warm or cold.

ML Workflow, §Data Collection, distributed data infrastructure and its footnote on
tiered storage. Hot NVMe storage (~$0.10 per GB-month, 500,000+ IOPS) feeds training
loops; warm object storage (~$0.023 per GB-month, 100-200 ms latency) holds recent
datasets; cold archives hold audit data. The hot tier costs about 4.3x the warm one per
byte, which is why data migrates between tiers as training schedules change.

Plain-number defaults: sizes in GB, prices in USD/GB/month, durations in months.
"""

from __future__ import annotations

from ..errors import InputError
from ..facts import constants as C
from ..units import Number, nonnegative_quantity, positive_quantity

__all__ = ["TIER_PRICES", "tier_price", "tier_price_ratio", "storage_cost"]

#: Price per GB-month of the tiers the chapter prices.
TIER_PRICES: dict[str, Number] = {
    "hot": C.NVME_PRICE,
    "warm": C.OBJECT_STORAGE_PRICE,
}
_TIER_ALIASES = {"nvme": "hot", "ssd": "hot", "object": "warm", "s3": "warm"}


def tier_price(tier: str):
    """Price per GB-month of a tier: "hot"/"nvme" or "warm"/"object", or a price itself."""
    if isinstance(tier, str):
        key = _TIER_ALIASES.get(tier.lower(), tier.lower())
        if key not in TIER_PRICES:
            raise InputError(f"tier: unknown tier {tier!r}; known: hot (nvme), warm (object), or give a price")
        return TIER_PRICES[key]
    return positive_quantity(tier, "USD / GB / month", "tier")


def tier_price_ratio(expensive: str = "hot", cheap: str = "warm") -> float:
    """How many times more one tier costs per byte: 0.10 / 0.023 = 4.3 for NVMe vs. object."""
    a = tier_price(expensive)
    b = tier_price(cheap)
    return float((a / b).to("dimensionless").magnitude)


def storage_cost(size: Number, tier: str = "warm", months: Number = 1):
    """Cost of keeping ``size`` on ``tier`` for ``months``: size x price x months (USD)."""
    s = nonnegative_quantity(size, "GB", "size")
    price = tier_price(tier)
    duration = positive_quantity(months, "month", "months")
    return (s * price * duration).to("USD")
