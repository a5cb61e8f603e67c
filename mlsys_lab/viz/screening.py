"""Plot of positive predictive value against disease prevalence.

Follows *ML Workflow*, §Model Development, "Accuracy vs. efficiency" and its footnote on
medical AI performance metrics: a screening model's sensitivity and specificity belong to
the model, but the share of its positive calls that are real cases (PPV) also depends on
how common the disease is where it is deployed. Every value comes from
:func:`mlsys_lab.science.screening.ppv_curve`; this module only draws.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from matplotlib.figure import Figure

from ..facts import constants as C
from ..science import screening as sc
from ..units import require_probability
from . import alt_text, figure_or_note

__all__ = ["DEFAULT_OPERATING_POINTS", "plot_ppv_vs_prevalence"]

#: (sensitivity, specificity, label) pairs drawn by default.
DEFAULT_OPERATING_POINTS: tuple[tuple[Any, Any, str], ...] = (
    (C.DR_PUBLISHED_SENSITIVITY, C.DR_PUBLISHED_SPECIFICITY, "published DR model"),
    (C.PPV_EXAMPLE_SENSITIVITY, C.PPV_EXAMPLE_SPECIFICITY, "95 % / 95 %"),
    (C.DR_SENSITIVITY_TARGET, C.DR_SPECIFICITY_TARGET, "bare clinical targets"),
)


@figure_or_note
def plot_ppv_vs_prevalence(
    operating_points: Sequence[tuple[Any, Any, str]] = DEFAULT_OPERATING_POINTS,
    prevalence_range: tuple[float, float] = (0.002, 0.5),
    mark_prevalence: Any = None,
) -> Figure:
    """PPV (percent) against prevalence (percent, log axis), one curve per
    (sensitivity, specificity, label) operating point.

    ``mark_prevalence`` (a fraction, or ``None``) adds a dotted vertical line, e.g. at
    the prevalence of a screening site.
    """
    low, high = prevalence_range
    prevalences = np.geomspace(low, high, 200)
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.subplots()
    said = []
    for i, (se, sp, label) in enumerate(operating_points):
        se_f = require_probability(se, "sensitivity")
        sp_f = require_probability(sp, "specificity")
        curve = sc.ppv_curve(se_f, sp_f, prevalences)
        half = int(np.argmax(curve >= 0.5)) if curve[-1] >= 0.5 else None
        said.append(
            f"{label} (sensitivity {se_f:.1%}, specificity {sp_f:.1%}): PPV {curve[0]:.1%} at "
            f"{low:.1%} prevalence, {curve[-1]:.1%} at {high:.1%}"
            + (
                f", reaching one half near {prevalences[half]:.1%}"
                if half is not None and half > 0
                else ", above one half throughout"
                if half == 0
                else ", below one half throughout"
            )
        )
        ax.semilogx(100 * prevalences, 100 * curve, color=f"C{i}", label=f"{label}: sens. {se_f:.1%}, spec. {sp_f:.1%}")
    marked = ""
    if mark_prevalence is not None:
        p = require_probability(mark_prevalence, "mark_prevalence")
        ax.axvline(100 * p, color="0.5", linestyle=":", linewidth=1, label=f"prevalence {p:.1%}")
        at_mark = ", ".join(f"{label}: {sc.ppv(se, sp, p):.1%}" for se, sp, label in operating_points)
        marked = f" A dotted vertical line marks {p:.1%} prevalence, where PPV reads {at_mark}."
    ax.axhline(50, color="0.3", linestyle="--", linewidth=0.8, label="half of all positive calls are false")
    ax.set_xlabel("prevalence of the disease in the screened population (%)")
    ax.set_ylabel("positive predictive value (%)")
    ax.set_ylim(0, 100)
    ticks = [t for t in (0.2, 0.5, 1, 2, 5, 10, 20, 50) if 100 * low <= t <= 100 * high]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_xticks([], minor=True)
    ax.set_title("Same model, different clinics: PPV depends on prevalence")
    ax.legend(loc="lower right", fontsize=8)
    return alt_text(
        fig,
        "Line chart of positive predictive value, the share of positive calls that are real cases, in "
        "percent, against disease prevalence on a logarithmic axis, one curve per operating point, with "
        "a dashed line at 50 %. Every curve rises with prevalence: the same model's positive calls are "
        "mostly false where the disease is rare. Curves: " + "; ".join(said) + "." + marked,
    )
