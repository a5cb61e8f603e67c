"""Where the time goes: what practitioners report spending most of their time on.

* ML Workflow, §ML Lifecycle, quantifying the ML lifecycle: in the 2016 CrowdFlower
  survey 60% of respondents named cleaning and organizing data as their biggest time
  sink and 19% named collecting data sets, 79% together; model-focused activities drew
  16%. (These are shares of "most time" answers, not a project effort budget.)
"""

from __future__ import annotations

from ..errors import InputError
from ..units import Number, require_probability

__all__ = ["data_work_share"]


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
