"""A synthetic screening network in which every clinic looks stable but one subgroup degrades.

Follows *ML Workflow*, §Systems Thinking ("Emergent complexity and resource trade-offs"). The
chapter's DR deployment shows stable performance at each clinic while a network-wide analysis
finds a slow loss of sensitivity for one demographic group. This module makes that concrete
with small, seeded, synthetic counts; it is an illustration, not clinical data.

The network
-----------
``n_sites`` clinics each see about ``cases_per_site_month`` referable (diseased) patients a
month for ``months`` months. A share ``subgroup_share`` of them belong to a subgroup (say,
patients over 70). The model detects the other patients with a constant
``baseline_sensitivity``; its sensitivity for the subgroup slides linearly from
``baseline_sensitivity`` in the first month to ``subgroup_final_sensitivity`` in the last.
Case counts are Poisson, detections binomial, all from one ``random.Random(seed)``: the
simulation and the statistics the widget prints are pure Python, so the site's live mode
computes them without numpy (which Pyodide fetches from a CDN); numpy only gives the array
views (``site_sensitivity()`` and friends) that tables and plots use.

Why nobody sees it locally
--------------------------
At one clinic the subgroup contributes a handful of cases a month, so the clinic's overall
sensitivity moves by a fraction of a point, well inside its month-to-month binomial noise.
Pooling the subgroup's cases over the whole network gives enough of them for the trend to
stand out. :func:`site_change_z` and :func:`network_change_z` compare an early window of
months with a late one using a two-proportion z statistic (negative: sensitivity fell);
:func:`sites_flagged` counts the clinics whose own drop would pass an alert threshold, and
:func:`expected_false_flags` says how many such flags chance alone produces.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InputError
from ..units import as_number, positive_number, require_count, require_probability

if TYPE_CHECKING:
    import numpy as np

Counts = tuple[tuple[int, ...], ...]
"""Counts per clinic (rows) and month (columns), as plain integers."""

__all__ = [
    "NetworkCounts",
    "simulate_clinic_network",
    "two_proportion_z",
    "site_window_sensitivity",
    "site_change_z",
    "network_change_z",
    "sites_flagged",
    "expected_false_flags",
]


@dataclass(frozen=True)
class NetworkCounts:
    """Monthly referable cases and detections per clinic (rows) and month (columns).

    ``subgroup_*`` count the subgroup's patients; ``rest_*`` everyone else. The fields are
    plain integers; the properties and methods below give numpy arrays of shape
    ``(n_sites, months)`` (or ``(months,)`` for the network-wide series).
    """

    subgroup_cases_counts: Counts
    subgroup_detected_counts: Counts
    rest_cases_counts: Counts
    rest_detected_counts: Counts
    true_subgroup_sensitivity_by_month: tuple[float, ...]
    baseline_sensitivity: float

    @property
    def n_sites(self) -> int:
        return len(self.subgroup_cases_counts)

    @property
    def months(self) -> int:
        return len(self.subgroup_cases_counts[0])

    def subgroup_cases_per_site_month(self) -> float:
        """Average number of subgroup cases one clinic sees in one month."""
        return sum(map(sum, self.subgroup_cases_counts)) / (self.n_sites * self.months)

    @property
    def subgroup_cases(self) -> np.ndarray:
        return _array(self.subgroup_cases_counts)

    @property
    def subgroup_detected(self) -> np.ndarray:
        return _array(self.subgroup_detected_counts)

    @property
    def rest_cases(self) -> np.ndarray:
        return _array(self.rest_cases_counts)

    @property
    def rest_detected(self) -> np.ndarray:
        return _array(self.rest_detected_counts)

    @property
    def true_subgroup_sensitivity(self) -> np.ndarray:
        return _array(self.true_subgroup_sensitivity_by_month)

    @property
    def site_cases(self) -> np.ndarray:
        return self.subgroup_cases + self.rest_cases

    @property
    def site_detected(self) -> np.ndarray:
        return self.subgroup_detected + self.rest_detected

    def site_sensitivity(self) -> np.ndarray:
        """Each clinic's monthly sensitivity over all its patients, ``(n_sites, months)``."""
        return _ratio(self.site_detected, self.site_cases)

    def site_subgroup_sensitivity(self) -> np.ndarray:
        """Each clinic's monthly sensitivity on the subgroup alone (very noisy; NaN if no case)."""
        return _ratio(self.subgroup_detected, self.subgroup_cases)

    def network_sensitivity(self) -> np.ndarray:
        """Network-wide monthly sensitivity over all patients, ``(months,)``."""
        return _ratio(self.site_detected.sum(axis=0), self.site_cases.sum(axis=0))

    def network_subgroup_sensitivity(self) -> np.ndarray:
        """Network-wide monthly sensitivity on the subgroup, ``(months,)``."""
        return _ratio(self.subgroup_detected.sum(axis=0), self.subgroup_cases.sum(axis=0))

    def network_rest_sensitivity(self) -> np.ndarray:
        """Network-wide monthly sensitivity on everyone outside the subgroup, ``(months,)``."""
        return _ratio(self.rest_detected.sum(axis=0), self.rest_cases.sum(axis=0))

    def network_subgroup_interval(self, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
        """Normal-approximation interval (low, high) around the network subgroup sensitivity."""
        import numpy as np

        p = self.network_subgroup_sensitivity()
        n = self.subgroup_cases.sum(axis=0).astype(float)
        half = z * np.sqrt(np.clip(p * (1 - p), 0, None) / np.maximum(n, 1))
        return np.clip(p - half, 0, 1), np.clip(p + half, 0, 1)


def _array(values) -> np.ndarray:
    import numpy as np

    return np.array(values)


def _ratio(num, den) -> np.ndarray:
    import numpy as np

    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def simulate_clinic_network(
    n_sites: int = 60,
    months: int = 12,
    cases_per_site_month: float = 40.0,
    subgroup_share: float = 0.08,
    baseline_sensitivity: float = 0.92,
    subgroup_final_sensitivity: float = 0.78,
    seed: int = 52,
) -> NetworkCounts:
    """Draw one synthetic year of a screening network (see the module docstring).

    The default seed is one draw among many; it shows the pattern plainly (no clinic's own
    alert fires beyond what chance predicts). Change ``seed`` to see others.
    """
    sites = require_count(n_sites, "n_sites")
    m = require_count(months, "months", minimum=2)
    rate = positive_number(cases_per_site_month, "cases_per_site_month")
    share = require_probability(subgroup_share, "subgroup_share")
    base = require_probability(baseline_sensitivity, "baseline_sensitivity")
    final = require_probability(subgroup_final_sensitivity, "subgroup_final_sensitivity")
    seed = require_count(seed, "seed", minimum=0)

    rng = random.Random(seed)
    true_sub = tuple(base + (final - base) * month / (m - 1) for month in range(m))
    sub_cases = tuple(tuple(_poisson(rng, rate * share) for _ in range(m)) for _ in range(sites))
    rest_cases = tuple(tuple(_poisson(rng, rate * (1 - share)) for _ in range(m)) for _ in range(sites))
    sub_detected = tuple(tuple(_binomial(rng, n, p) for n, p in zip(row, true_sub)) for row in sub_cases)
    rest_detected = tuple(tuple(_binomial(rng, n, base) for n in row) for row in rest_cases)
    return NetworkCounts(
        subgroup_cases_counts=sub_cases,
        subgroup_detected_counts=sub_detected,
        rest_cases_counts=rest_cases,
        rest_detected_counts=rest_detected,
        true_subgroup_sensitivity_by_month=true_sub,
        baseline_sensitivity=base,
    )


def _poisson(rng: random.Random, mean: float) -> int:
    """One Poisson draw, exactly: the product-of-uniforms method, in pieces of mean at most
    20 (a sum of Poisson counts is Poisson), so ``exp(-mean)`` never underflows."""
    count = 0
    while mean > 0:
        piece = min(mean, 20.0)
        mean -= piece
        limit, product = math.exp(-piece), rng.random()
        while product > limit:
            count += 1
            product *= rng.random()
    return count


def _binomial(rng: random.Random, trials: int, p: float) -> int:
    """One binomial draw, exactly: the number of ``trials`` uniforms below ``p``."""
    return sum(rng.random() < p for _ in range(trials))


def _window_sums(rows: Counts, window: int) -> tuple[int, int]:
    """Totals over the first and the last ``window`` months, summed over ``rows``."""
    return sum(sum(r[:window]) for r in rows), sum(sum(r[-window:]) for r in rows)


def _z(detected_before: int, cases_before: int, detected_after: int, cases_after: int) -> float:
    """:func:`two_proportion_z` for plain counts, in pure Python."""
    if not (0 <= detected_before <= cases_before and 0 <= detected_after <= cases_after):
        raise InputError("detected: counts must lie between 0 and the number of cases")
    if cases_before == 0 or cases_after == 0:
        return math.nan
    pooled = (detected_before + detected_after) / (cases_before + cases_after)
    se = math.sqrt(pooled * (1 - pooled) * (1 / cases_before + 1 / cases_after))
    if se == 0:
        return math.nan
    return (detected_after / cases_after - detected_before / cases_before) / se


def two_proportion_z(detected_before, cases_before, detected_after, cases_after):
    """z statistic for the change in a proportion between two samples (pooled variance).

    Negative when the later proportion is lower; NaN where either sample is empty or the pooled
    proportion is 0 or 1. Plain counts give a float (pure Python); arrays work element-wise.
    """
    scalars = (detected_before, cases_before, detected_after, cases_after)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in scalars):
        return _z(*scalars)
    import numpy as np

    k1 = np.asarray(detected_before, dtype=float)
    n1 = np.asarray(cases_before, dtype=float)
    k2 = np.asarray(detected_after, dtype=float)
    n2 = np.asarray(cases_after, dtype=float)
    if np.any(k1 < 0) or np.any(k2 < 0) or np.any(k1 > n1) or np.any(k2 > n2):
        raise InputError("detected: counts must lie between 0 and the number of cases")
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = k1 / n1
        p2 = k2 / n2
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (p2 - p1) / se
    z = np.where((n1 > 0) & (n2 > 0) & (se > 0), z, np.nan)
    return float(z) if z.ndim == 0 else z


def _window(months: int, window: int) -> int:
    w = require_count(window, "window")
    if 2 * w > months:
        raise InputError(f"window: two windows of {w} months do not fit in {months} months")
    return w


def site_window_sensitivity(counts: NetworkCounts, window: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Per clinic, overall sensitivity in the first and in the last ``window`` months."""
    w = _window(counts.months, window)
    cases, detected = counts.site_cases, counts.site_detected
    early = _ratio(detected[:, :w].sum(axis=1), cases[:, :w].sum(axis=1))
    late = _ratio(detected[:, -w:].sum(axis=1), cases[:, -w:].sum(axis=1))
    return early, late


def site_change_z(counts: NetworkCounts, window: int = 3, subgroup_only: bool = False) -> np.ndarray:
    """Per clinic, z of its sensitivity in the last ``window`` months vs the first ``window``.

    Uses all of a clinic's patients (what a clinic dashboard shows), or only its subgroup
    patients with ``subgroup_only=True``.
    """
    w = _window(counts.months, window)
    cases = counts.subgroup_cases if subgroup_only else counts.site_cases
    detected = counts.subgroup_detected if subgroup_only else counts.site_detected
    return two_proportion_z(
        detected[:, :w].sum(axis=1),
        cases[:, :w].sum(axis=1),
        detected[:, -w:].sum(axis=1),
        cases[:, -w:].sum(axis=1),
    )


def network_change_z(counts: NetworkCounts, window: int = 3, group: str = "subgroup") -> float:
    """z of the network-wide sensitivity change for ``group`` ("subgroup", "rest" or "all")."""
    w = _window(counts.months, window)
    sub, rest = (
        (counts.subgroup_detected_counts, counts.subgroup_cases_counts),
        (
            counts.rest_detected_counts,
            counts.rest_cases_counts,
        ),
    )
    pairs = {"subgroup": (sub,), "rest": (rest,), "all": (sub, rest)}
    if group not in pairs:
        raise InputError(f'group: must be "subgroup", "rest" or "all", got {group!r}')
    detected_early = detected_late = cases_early = cases_late = 0
    for detected, cases in pairs[group]:
        d_early, d_late = _window_sums(detected, w)
        c_early, c_late = _window_sums(cases, w)
        detected_early, detected_late = detected_early + d_early, detected_late + d_late
        cases_early, cases_late = cases_early + c_early, cases_late + c_late
    return _z(detected_early, cases_early, detected_late, cases_late)


def sites_flagged(counts: NetworkCounts, window: int = 3, z_threshold: float = -2.0) -> int:
    """How many clinics' own overall sensitivity fell by more than ``z_threshold`` (z below it)."""
    threshold = as_number(z_threshold, "z_threshold")
    w = _window(counts.months, window)
    flagged = 0
    for rows in zip(
        counts.subgroup_detected_counts,
        counts.rest_detected_counts,
        counts.subgroup_cases_counts,
        counts.rest_cases_counts,
    ):
        sub_d, rest_d, sub_c, rest_c = rows
        z = _z(
            sum(sub_d[:w]) + sum(rest_d[:w]),
            sum(sub_c[:w]) + sum(rest_c[:w]),
            sum(sub_d[-w:]) + sum(rest_d[-w:]),
            sum(sub_c[-w:]) + sum(rest_c[-w:]),
        )
        flagged += not math.isnan(z) and z < threshold
    return flagged


def expected_false_flags(n_sites: int, z_threshold: float = -2.0) -> float:
    """Flags expected from noise alone when nothing changed: ``n_sites * Phi(z_threshold)``."""
    sites = require_count(n_sites, "n_sites")
    threshold = as_number(z_threshold, "z_threshold")
    return sites * 0.5 * math.erfc(-threshold / math.sqrt(2))
