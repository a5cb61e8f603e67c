"""Plots for drift detection: PSI by bin, the KS gap, and PSI day by day against its bands.

Follows *ML Workflow*, §Monitoring and Maintenance and its footnote on PSI and KS tests:
after a camera upgrade the images' pixel statistics move, and two cheap tests notice it.
PSI compares the share of traffic in each bin of a feature; the Kolmogorov-Smirnov
statistic is the widest vertical gap between the two cumulative distributions. PSI, its
bands and the KS result come from :mod:`mlsys_lab.science.drift`; this module only draws.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.figure import Figure

from ..facts import constants as C
from ..science import drift
from ..units import as_float_array
from . import alt_text, figure_or_note

__all__ = ["plot_drift", "plot_psi_by_day"]

_BAND_COLORS = {"stable": "C2", "moderate": "C1", "significant": "C3"}


@figure_or_note
def plot_drift(
    before: Any,
    after: Any,
    bins: int = 10,
    feature: str = "image brightness (0-255)",
    labels: tuple[str, str] = ("before the upgrade", "after the upgrade"),
) -> Figure:
    """Two panels for two samples of one feature.

    Left: the share of each sample in the reference sample's ten equal-frequency bins
    (what PSI compares), with PSI and its band. Right: both empirical cumulative
    distributions with the KS statistic D drawn where the gap is widest, and whether it
    exceeds the critical value at alpha = 0.05.
    """
    a = as_float_array(before, "before", min_size=2)
    b = as_float_array(after, "after", min_size=1)
    _, ref_shares, cur_shares = drift.quantile_bins(a, b, bins)
    psi = drift.psi(ref_shares, cur_shares)
    ks = drift.ks_test(a, b)

    fig = Figure(figsize=(9.0, 3.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    x = np.arange(1, ref_shares.size + 1)
    left.bar(x - 0.2, 100 * ref_shares, width=0.4, color="C0", label=labels[0])
    left.bar(x + 0.2, 100 * cur_shares, width=0.4, color="C3", label=labels[1])
    left.set_xticks(x)
    left.set_xlabel(f"bin of {feature}, darkest to brightest\n(cut so each holds 1/{x.size} of 'before')")
    left.set_ylabel("share of images (%)")
    left.set_title(f"PSI = {psi:.3f}: {drift.psi_band(psi)}")
    left.legend(fontsize=8)

    xs = np.sort(np.concatenate([a, b]))
    cdf_a = np.searchsorted(np.sort(a), xs, side="right") / a.size
    cdf_b = np.searchsorted(np.sort(b), xs, side="right") / b.size
    right.step(xs, cdf_a, where="post", color="C0", label=labels[0])
    right.step(xs, cdf_b, where="post", color="C3", label=labels[1])
    widest = int(np.argmax(np.abs(cdf_a - cdf_b)))
    right.vlines(
        xs[widest],
        min(cdf_a[widest], cdf_b[widest]),
        max(cdf_a[widest], cdf_b[widest]),
        color="k",
        linewidth=2,
        label=f"D = {ks.statistic:.3f}",
    )
    verdict = "drift" if ks.drift else "no drift"
    right.set_title(f"KS: D vs. critical {ks.critical_value:.3f} at alpha {ks.alpha:g}: {verdict}")
    right.set_xlabel(feature)
    right.set_ylabel("cumulative share of images")
    right.legend(fontsize=8, loc="lower right")
    fullest = int(np.argmax(cur_shares))
    return alt_text(
        fig,
        f"Two panels comparing {feature} {labels[0]} ({a.size:,} samples) and {labels[1]} "
        f"({b.size:,} samples). Left: paired bars of each sample's share in {x.size} bins cut so "
        f"that each holds an equal share of the first sample; the second sample's fullest bin is "
        f"bin {fullest + 1} with {100 * cur_shares[fullest]:.0f} %, and PSI is {psi:.3f} "
        f"({drift.psi_band(psi)}). Right: the two cumulative distributions as step lines, with the "
        f"widest vertical gap D = {ks.statistic:.3f} drawn in black against a critical value of "
        f"{ks.critical_value:.3f} at alpha {ks.alpha:g}: {verdict}.",
    )


@figure_or_note
def plot_psi_by_day(psi_values: Sequence[Any], first_day: int = 1) -> Figure:
    """PSI for each day as a bar coloured by its band, over the band limits (0.1 and 0.2
    from :mod:`mlsys_lab.facts.constants`)."""
    values = as_float_array(psi_values, "psi_values", min_size=1, nonnegative=True)
    days = np.arange(first_day, first_day + values.size)
    stable = C.PSI_STABLE_BELOW.magnitude
    significant = C.PSI_SIGNIFICANT_ABOVE.magnitude
    fig = Figure(figsize=(7.0, 3.6), layout="constrained")
    ax = fig.subplots()
    colors = [_BAND_COLORS[drift.psi_band(v)] for v in values]
    ax.bar(days, values, color=colors)
    top = max(float(values.max()) * 1.15, significant * 1.5)
    ax.axhspan(0, stable, color="C2", alpha=0.08, label=f"stable (< {stable:g})")
    ax.axhspan(stable, significant, color="C1", alpha=0.10, label=f"moderate ({stable:g} to {significant:g})")
    ax.axhspan(significant, top, color="C3", alpha=0.08, label=f"significant (> {significant:g})")
    ax.set_ylim(0, top)
    ax.set_xticks(days)
    ax.set_xlabel("day")
    ax.set_ylabel("PSI against the validation period")
    ax.set_title("Population stability index, day by day")
    ax.legend(fontsize=8, loc="upper left")
    bands = [drift.psi_band(v) for v in values]
    counts = "; ".join(f"{bands.count(band)} day(s) {band}" for band in _BAND_COLORS if band in bands)
    moved = "; ".join(f"day {d}: {v:.3f} ({band})" for d, v, band in zip(days, values, bands) if band != "stable")
    first_significant = next((d for d, band in zip(days, bands) if band == "significant"), None)
    verdict = (
        f"PSI first crosses {significant:g} on day {first_significant}."
        if first_significant is not None
        else f"PSI never crosses {significant:g}."
    )
    listed = f"By band: {counts}." + (f" Outside the stable band: {moved}." if moved else "")
    return alt_text(
        fig,
        f"Bar chart of the population stability index for days {days[0]} to {days[-1]}, each bar "
        f"coloured by its band over shaded bands: stable below {stable:g}, moderate up to "
        f"{significant:g}, significant above. {listed} {verdict}",
    )
