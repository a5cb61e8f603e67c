"""Reliability diagram: does a model's stated confidence match how often it is right?

Follows *ML Workflow*, §Evaluation and Validation ("Evaluation metrics and thresholds" and
its footnote on calibration): a calibrated model that says 80 % is right 80 % of the time.
Clinicians triage by the confidence score, so an over-confident model misleads them even
when its accuracy is good. Bin statistics and the expected calibration error come from
:mod:`mlsys_lab.science.evaluation`; this module only draws.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from matplotlib.figure import Figure

from ..errors import InputError
from ..science import evaluation as ev
from . import alt_text, figure_or_note

__all__ = ["plot_reliability"]


@figure_or_note
def plot_reliability(models: Mapping[str, tuple[Any, Any]], bins: int = 10) -> Figure:
    """Reliability diagram for one or more score sets.

    ``models`` maps a label to ``(confidences, correct)`` (confidences in [0, 1], correct
    as 0/1). The top panel plots observed accuracy against mean confidence per bin, with
    the diagonal a calibrated model follows and each set's ECE in the legend; the bottom
    panel shows how many predictions fall in each bin.
    """
    if not isinstance(models, Mapping) or not models:
        raise InputError("models: expected a dict of label -> (confidences, correct)")
    fig = Figure(figsize=(7.0, 5.2), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    top.plot([0, 100], [0, 100], color="0.5", linestyle="--", linewidth=1, label="perfect calibration")
    width = 1.0 / bins / (len(models) + 1)
    summaries = []
    for i, (label, (conf, correct)) in enumerate(models.items()):
        table = ev.calibration_bins(conf, correct, bins)
        ece = ev.expected_calibration_error(conf, correct, bins)
        busiest = int(np.argmax(table.counts))
        summaries.append(
            f"{label}: expected calibration error {100 * ece:.1f} points; in its busiest bin "
            f"({int(table.counts[busiest]):,} predictions) it states {100 * table.confidence[busiest]:.0f} % "
            f"confidence and is right {100 * table.accuracy[busiest]:.0f} % of the time"
        )
        filled = table.counts > 0
        top.plot(
            100 * table.confidence[filled],
            100 * table.accuracy[filled],
            "o-",
            color=f"C{i}",
            label=f"{label} (ECE {100 * ece:.1f} points)",
        )
        centers = 0.5 * (table.edges[:-1] + table.edges[1:])
        bottom.bar(
            100 * (centers + (i - (len(models) - 1) / 2) * width), table.counts, width=100 * width, color=f"C{i}"
        )
    lo = 100 * min(float(np.min(np.asarray(c, dtype=float))) for c, _ in models.values())
    start = max(0.0, 10 * np.floor(lo / 10))
    top.set_xlim(start, 100)
    top.set_ylim(start, 100)
    top.set_ylabel("observed accuracy (%)")
    top.set_title("Reliability diagram: stated confidence vs. how often the model is right")
    top.legend(loc="upper left", fontsize=8)
    bottom.set_xlabel("stated confidence (%)")
    bottom.set_ylabel("predictions")
    return alt_text(
        fig,
        f"Reliability diagram for {len(models)} score set(s) in {bins} confidence bins. Top panel: "
        "observed accuracy against mean stated confidence per bin, both in percent, beside a dashed "
        "diagonal where a calibrated model would lie; points under the diagonal mean over-confidence. "
        "Bottom panel: how many predictions fall in each bin. " + "; ".join(summaries) + ".",
    )
