"""Plots and a widget for the synthetic clinic network of :mod:`mlsys_lab.data.emergence`.

Follows *ML Workflow*, §Systems Thinking ("Emergent complexity and resource trade-offs"):
each clinic's dashboard looks flat while one subgroup degrades across the whole network.
Every figure draws what :mod:`mlsys_lab.data.emergence` computes; no statistic is redone here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import emergence as em
from . import alt_text, figure_or_note, show_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "plot_site_sensitivity",
    "plot_site_change",
    "plot_network_subgroup",
    "network_size_widget",
]


def _counts(counts: em.NetworkCounts | None, **simulation) -> em.NetworkCounts:
    return counts if counts is not None else em.simulate_clinic_network(**simulation)


@figure_or_note
def plot_site_sensitivity(counts: em.NetworkCounts | None = None, **simulation) -> Figure:
    """Every clinic's monthly sensitivity (thin lines) and the network's (thick line).

    Pass ``counts`` from :func:`mlsys_lab.data.emergence.simulate_clinic_network`, or its keyword
    arguments to draw a fresh network.
    """
    import numpy as np
    from matplotlib.figure import Figure

    c = _counts(counts, **simulation)
    months = np.arange(1, c.months + 1)
    fig = Figure(figsize=(7.0, 4.0))
    ax = fig.subplots()
    for row in c.site_sensitivity():
        ax.plot(months, 100 * row, color="0.6", lw=0.6, alpha=0.5)
    ax.plot(months, 100 * c.network_sensitivity(), color="C0", lw=2.5, label="whole network, all patients")
    ax.set_xlabel("month")
    ax.set_ylabel("sensitivity (%)")
    ax.set_ylim(60, 100)
    ax.set_title(f"What each of {c.n_sites} clinic dashboards shows (synthetic)")
    ax.legend(loc="lower left")
    sites = c.site_sensitivity()
    network = c.network_sensitivity()
    return alt_text(
        fig,
        f"Line chart of sensitivity in percent against month 1 to {c.months} for a synthetic "
        f"network: {c.n_sites} thin grey lines, one per clinic, scatter between "
        f"{100 * np.nanmin(sites):.0f} % and {100 * np.nanmax(sites):.0f} %, while a thick line for the "
        f"whole network moves from {100 * network[0]:.1f} % in month 1 to "
        f"{100 * network[-1]:.1f} % in month {c.months}: each clinic's own dashboard is mostly noise.",
    )


@figure_or_note
def plot_site_change(
    counts: em.NetworkCounts | None = None, window: int = 3, z_threshold: float = -2.0, **simulation
) -> Figure:
    """Histogram of each clinic's early-vs-late change (z), with the alert threshold and the
    network-wide subgroup z for comparison."""
    import numpy as np
    from matplotlib.figure import Figure

    c = _counts(counts, **simulation)
    z_sites = em.site_change_z(c, window)
    z_network = em.network_change_z(c, window, group="subgroup")
    fig = Figure(figsize=(7.0, 4.0))
    ax = fig.subplots()
    low = min(np.nanmin(z_sites), z_network) - 0.5
    high = max(np.nanmax(z_sites), 0.0) + 0.5
    ax.hist(
        z_sites[np.isfinite(z_sites)],
        bins=np.arange(np.floor(low), np.ceil(high) + 0.5, 0.5),
        color="0.6",
        label="one clinic, all its patients",
    )
    ax.axvline(z_threshold, color="C3", ls="--", label=f"alert threshold (z = {z_threshold:g})")
    ax.axvline(z_network, color="C1", lw=2.5, label="whole network, subgroup only")
    ax.set_xlabel(f"change in sensitivity, last vs first {window} months (z statistic)")
    ax.set_ylabel("number of clinics")
    ax.set_title("Local tests versus one pooled, stratified test (synthetic)")
    ax.legend(loc="upper left", fontsize=8)
    flagged = em.sites_flagged(c, window, z_threshold)
    chance = em.expected_false_flags(c.n_sites, z_threshold)
    return alt_text(
        fig,
        f"Histogram of the {c.n_sites} clinics' z statistics for the change in sensitivity between "
        f"their first and last {window} months, each clinic counting all its patients. "
        f"{flagged} clinic(s) fall below the dashed alert threshold at z = {z_threshold:g}, against "
        f"{chance:.1f} expected from chance alone; a thick line marks the single network-wide test on "
        f"the subgroup alone, at z = {z_network:.1f}"
        + (", past the threshold." if z_network < z_threshold else ", which stays above the threshold."),
    )


@figure_or_note
def plot_network_subgroup(counts: em.NetworkCounts | None = None, **simulation) -> Figure:
    """Network-wide monthly sensitivity of the subgroup (with a 95 % band) and of everyone else."""
    import numpy as np
    from matplotlib.figure import Figure

    c = _counts(counts, **simulation)
    months = np.arange(1, c.months + 1)
    low, high = c.network_subgroup_interval()
    fig = Figure(figsize=(7.0, 4.0))
    ax = fig.subplots()
    ax.fill_between(months, 100 * low, 100 * high, color="C1", alpha=0.25, label="subgroup, 95 % interval")
    ax.plot(months, 100 * c.network_subgroup_sensitivity(), "o-", color="C1", label="subgroup, pooled over all clinics")
    ax.plot(months, 100 * c.network_rest_sensitivity(), "s-", color="C0", label="everyone else, pooled")
    ax.set_xlabel("month")
    ax.set_ylabel("sensitivity (%)")
    ax.set_ylim(60, 100)
    ax.set_title(f"Pooling {c.n_sites} clinics, split by subgroup (synthetic)")
    ax.legend(loc="lower left")
    subgroup = c.network_subgroup_sensitivity()
    rest = c.network_rest_sensitivity()
    z = em.network_change_z(c)
    return alt_text(
        fig,
        f"Line chart of sensitivity in percent against month, pooled over {c.n_sites} synthetic "
        f"clinics and split in two. The subgroup's line, inside a shaded 95 % interval, goes from "
        f"{100 * subgroup[0]:.0f} % in month 1 to {100 * subgroup[-1]:.0f} % in month {c.months}; "
        f"everyone else goes from {100 * rest[0]:.0f} % to {100 * rest[-1]:.0f} %. The pooled test "
        f"of the subgroup's change, its last months against its first, gives z = {z:.1f}.",
    )


def network_size_widget(n_sites: int = 60, seed: int = 52, subgroup_final_sensitivity: float = 0.78):
    """Sliders for network size, seed and the subgroup's final sensitivity; redraws the pooled
    subgroup curve and prints the pooled and per-clinic tests. Works once, statically, too."""
    import ipywidgets as widgets

    def show(n_sites: int, seed: int, subgroup_final_sensitivity: float) -> None:
        c = em.simulate_clinic_network(
            n_sites=n_sites, seed=seed, subgroup_final_sensitivity=subgroup_final_sensitivity
        )
        z = em.network_change_z(c)
        flagged = em.sites_flagged(c)
        chance = em.expected_false_flags(n_sites)
        print(
            f"pooled subgroup change: z = {z:.1f}   |   clinics whose own alert fires: "
            f"{flagged} of {n_sites} (chance alone: about {chance:.1f})"
        )
        show_figure(plot_network_subgroup(c))

    return widgets.interactive(
        show,
        n_sites=widgets.IntSlider(value=n_sites, min=2, max=200, step=2, description="clinics"),
        # the range holds the default seed (52: the chapter's pattern); a slider clamps a value beyond it
        seed=widgets.IntSlider(value=seed, min=0, max=100, description="seed"),
        subgroup_final_sensitivity=widgets.FloatSlider(
            value=subgroup_final_sensitivity,
            min=0.6,
            max=0.95,
            step=0.01,
            description="final subgroup sens.",
            style={"description_width": "initial"},
        ),
    )
