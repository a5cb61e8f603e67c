"""Drift tests: population stability index (PSI) and the two-sample KS statistic.

ML Workflow, §Monitoring and Maintenance and its footnote on PSI and KS tests. Both are
cheap enough to run on live traffic.

PSI compares the share of traffic in each bin of a feature::

    PSI = sum_i (a_i - e_i) * ln(a_i / e_i)

with ``e_i`` the baseline (expected) share and ``a_i`` the recent (actual) share. The
chapter's bands: PSI < 0.1 stable, 0.1 to 0.2 moderate drift, > 0.2 significant drift.

The Kolmogorov-Smirnov statistic D is the largest vertical gap between two empirical
cumulative distribution functions; computing it needs a sort, O(n log n). The chapter
gives no critical value; :func:`ks_critical_value` uses the standard large-sample
approximation ``c(alpha) * sqrt((n + m) / (n m))`` with ``c(alpha) = sqrt(-ln(alpha/2)/2)``
(1.36 at alpha = 0.05, the coefficient the book's companion library uses).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..errors import InputError
from ..facts import constants as C
from ..units import (
    Number,
    as_float_array,
    as_number,
    nonnegative_number,
    require_count,
    require_probability,
)

__all__ = [
    "psi",
    "psi_from_samples",
    "quantile_bins",
    "QuantileBins",
    "psi_band",
    "PSI_BANDS",
    "ks_statistic",
    "ks_critical_value",
    "KSResult",
    "ks_test",
]

_STABLE = float(C.PSI_STABLE_BELOW.magnitude)
_SIGNIFICANT = float(C.PSI_SIGNIFICANT_ABOVE.magnitude)

#: (band name, lower bound inclusive, upper bound inclusive) as the chapter states them.
PSI_BANDS: tuple[tuple[str, float, float], ...] = (
    ("stable", 0.0, _STABLE),
    ("moderate", _STABLE, _SIGNIFICANT),
    ("significant", _SIGNIFICANT, math.inf),
)


class QuantileBins(NamedTuple):
    """Result of :func:`quantile_bins`: bin edges and each sample's share per bin."""

    edges: Any
    reference_shares: Any
    current_shares: Any


def _shares(values: Any, name: str):
    arr = as_float_array(values, name, min_size=2, nonnegative=True)
    total = arr.sum()
    if total <= 0:
        raise InputError(f"{name}: shares must not all be zero")
    return arr / total


def psi(expected_shares: Any, actual_shares: Any, *, epsilon: float = 1e-4) -> float:
    """Population stability index between two binned distributions.

    ``expected_shares`` and ``actual_shares`` are per-bin shares or counts (each is
    normalised to sum to 1); they must have the same number of bins (at least 2). Empty
    bins are floored at ``epsilon`` before taking logs so that PSI stays finite.
    """
    import numpy as np

    e = _shares(expected_shares, "expected_shares")
    a = _shares(actual_shares, "actual_shares")
    if e.size != a.size:
        raise InputError(f"actual_shares: needs the same number of bins as expected_shares ({e.size}), got {a.size}")
    eps = as_number(epsilon, "epsilon")
    if not 0 < eps < 0.5:
        raise InputError(f"epsilon: must be in (0, 0.5), got {eps:g}")
    e = np.maximum(e, eps)
    a = np.maximum(a, eps)
    return float(np.sum((a - e) * np.log(a / e)))


def quantile_bins(reference: Any, current: Any, bins: Number = 10) -> QuantileBins:
    """Share of each sample in ``bins`` equal-frequency bins cut at the reference quantiles.

    Each bin holds about 1/bins of the reference; the outer bins are open-ended, so current
    values outside the reference range are still counted. ``edges`` runs from the smallest
    to the largest value seen in either sample (for drawing).
    """
    import numpy as np

    ref = as_float_array(reference, "reference", min_size=2)
    cur = as_float_array(current, "current", min_size=1)
    k = require_count(bins, "bins", minimum=2)
    if np.ptp(ref) == 0:
        raise InputError("reference: all values are equal, cannot form bins")
    inner = np.unique(np.quantile(ref, np.linspace(0, 1, k + 1)[1:-1]))
    ref_counts = np.bincount(np.searchsorted(inner, ref, side="right"), minlength=inner.size + 1)
    cur_counts = np.bincount(np.searchsorted(inner, cur, side="right"), minlength=inner.size + 1)
    edges = np.concatenate([[min(ref.min(), cur.min())], inner, [max(ref.max(), cur.max())]])
    return QuantileBins(edges, ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum())


def psi_from_samples(reference: Any, current: Any, bins: Number = 10, *, epsilon: float = 1e-4) -> float:
    """PSI between two raw samples, binned by :func:`quantile_bins`."""
    binned = quantile_bins(reference, current, bins)
    return psi(binned.reference_shares, binned.current_shares, epsilon=epsilon)


def psi_band(value: Number) -> str:
    """Name the chapter's PSI band: "stable" (< 0.1), "moderate" (0.1-0.2), "significant" (> 0.2)."""
    v = nonnegative_number(value, "value")
    if v < _STABLE:
        return "stable"
    if v <= _SIGNIFICANT:
        return "moderate"
    return "significant"


def ks_statistic(sample_a: Any, sample_b: Any) -> float:
    """Two-sample Kolmogorov-Smirnov statistic: max |F_a(x) - F_b(x)| over all x."""
    import numpy as np

    a = np.sort(as_float_array(sample_a, "sample_a"))
    b = np.sort(as_float_array(sample_b, "sample_b"))
    grid = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, grid, side="right") / a.size
    cdf_b = np.searchsorted(b, grid, side="right") / b.size
    return float(np.max(np.abs(cdf_a - cdf_b)))


def ks_critical_value(n: Number, m: Number, alpha: Number = 0.05) -> float:
    """Large-sample critical D for two samples of sizes n and m at significance ``alpha``."""
    a = require_count(n, "n")
    b = require_count(m, "m")
    level = require_probability(alpha, "alpha")
    if not 0 < level < 1:
        raise InputError(f"alpha: must be strictly between 0 and 1, got {level:g}")
    c_alpha = math.sqrt(-math.log(level / 2.0) / 2.0)
    return c_alpha * math.sqrt((a + b) / (a * b))


@dataclass(frozen=True)
class KSResult:
    """``statistic`` D, the ``critical_value`` at ``alpha`` and whether drift is flagged."""

    statistic: float
    critical_value: float
    alpha: float
    drift: bool


def ks_test(sample_a: Any, sample_b: Any, alpha: Number = 0.05) -> KSResult:
    """KS statistic compared with its critical value: drift when D exceeds it."""
    level = require_probability(alpha, "alpha")
    d = ks_statistic(sample_a, sample_b)
    n = len(as_float_array(sample_a, "sample_a"))
    m = len(as_float_array(sample_b, "sample_b"))
    crit = ks_critical_value(n, m, level)
    return KSResult(statistic=d, critical_value=crit, alpha=level, drift=d > crit)
