"""Small calculators for the opening of the ML Workflow chapter.

ML Workflow, §ML vs. traditional software (the locality footnote) and §ML Lifecycle
(Napkin Math 1.1, the iteration tax). Two ideas live here that the other modules do not
cover:

* **Memory tiers.** :func:`memory_tier_penalties` lists every tier the chapter names (L1
  cache, DRAM, NVMe SSD and, optionally, object storage) with its latency range from
  :mod:`mlsys_lab.constants` and its penalty range in L1 hits from
  :func:`mlsys_lab.survey.locality_penalty` (DRAM 50-100x, NVMe 10,000-100,000x), for
  plotting. Penalties are rounded to 12 significant digits to drop unit-conversion noise.
* **Time to a target.** :func:`time_to_target` turns the iteration tax around: how much
  calendar time a team needs before fixed per-experiment gains lift a model from its
  starting accuracy to a target, running one experiment after another. It reuses
  :func:`mlsys_lab.iteration.iterations_to_reach`.
* **The lifecycle's shape.** :data:`DATA_PIPELINE`, :data:`MODEL_PIPELINE` and
  :data:`BACKWARD_ARROWS` describe the chapter's two-pipeline figure (§ML Lifecycle);
  :data:`FEEDBACK_CLOCKS` lists the loops of §Systems Thinking, "Multi-scale feedback". The
  six stage names themselves live in :data:`mlsys_lab.propagation.STAGES`. The plots are in
  :mod:`mlsys_lab.viz.lifecycle_loop` and :mod:`mlsys_lab.viz.feedback_clocks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import constants as C
from .iteration import iterations_to_reach
from .survey import locality_penalty
from .units import Number, positive_quantity

__all__ = [
    "BACKWARD_ARROWS",
    "DATA_PIPELINE",
    "FEEDBACK_CLOCKS",
    "FeedbackArrow",
    "FeedbackClock",
    "MODEL_PIPELINE",
    "TierPenalty",
    "memory_tier_penalties",
    "time_to_target",
]


@dataclass(frozen=True)
class TierPenalty:
    """One memory tier: its latency range and the matching range of L1-hit multiples."""

    tier: str
    latency_low: Any
    latency_high: Any
    penalty_low: float
    penalty_high: float

    def describe(self) -> str:
        """One line such as ``DRAM: 50 ns to 100 ns, 50x to 100x an L1 hit``."""
        if self.latency_low == self.latency_high:
            return f"{self.tier}: {self.latency_low:~P}, {self.penalty_low:,.0f}x an L1 hit"
        return (f"{self.tier}: {self.latency_low:~P} to {self.latency_high:~P}, "
                f"{self.penalty_low:,.0f}x to {self.penalty_high:,.0f}x an L1 hit")


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
        tiers.append(
            ("Object storage", C.OBJECT_STORAGE_LATENCY_LOW, C.OBJECT_STORAGE_LATENCY_HIGH)
        )
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


def time_to_target(
    start: Number, gain_per_iteration: Number, target: Number, experiment_duration: Number
):
    """Calendar time until sequential experiments lift ``start`` to ``target`` (hours).

    ``iterations_to_reach(start, gain, target) x experiment_duration``, with experiments
    run one after another, around the clock. Accuracies and the gain are fractions
    (0.001 for 0.1 percentage points); a plain ``experiment_duration`` is in hours.
    ``time_to_target(0.95, 0.0015, 0.989, Q_(1, "week"))`` is 26 weeks (4,368 h): the
    large model of Napkin Math 1.1 (ML Workflow, §ML Lifecycle).
    """
    duration = positive_quantity(experiment_duration, "hour", "experiment_duration")
    runs = iterations_to_reach(start, gain_per_iteration, target)
    return (runs * duration).to("hour")


# --------------------------------------------------------------------------------------------
# the lifecycle's shape: two pipelines, the arrows that run backwards, and the clocks of feedback

DATA_PIPELINE: tuple[str, ...] = (
    "collection", "ingestion", "analysis", "labeling", "validation", "preparation",
)
"""Steps of the data pipeline, raw inputs to training-ready datasets (ML Workflow, §ML Lifecycle)."""

MODEL_PIPELINE: tuple[str, ...] = ("training", "evaluation", "validation", "deployment")
"""Steps of the model pipeline, datasets to a production system (ML Workflow, §ML Lifecycle)."""


@dataclass(frozen=True)
class FeedbackArrow:
    """An arrow of the two-pipeline figure that runs against the direction of work.

    ``source`` and ``target`` are ``(pipeline, step)`` pairs, pipeline ``"data"`` or ``"model"``.
    """

    source: tuple[str, str]
    target: tuple[str, str]
    carries: str


BACKWARD_ARROWS: tuple[FeedbackArrow, ...] = (
    FeedbackArrow(("model", "deployment"), ("data", "collection"), "online performance"),
    FeedbackArrow(("data", "validation"), ("data", "collection"), "data fixes"),
    FeedbackArrow(("data", "preparation"), ("data", "analysis"), "data needs"),
)
"""The figure's backward arrows. The chapter names what each carries and where it lands
(collection, collection, analysis); the data-quality loops' starting steps are our reading."""


@dataclass(frozen=True)
class FeedbackClock:
    """One feedback loop of the DR network and the timescale it runs on."""

    clock: str
    watches: str
    changes: str


FEEDBACK_CLOCKS: tuple[FeedbackClock, ...] = (
    FeedbackClock("minutes", "device errors, rejected images", "fix a misconfigured camera"),
    FeedbackClock("days", "proxy signals: referral rate, confidence, rejections",
                  "open a site data-quality check"),
    FeedbackClock("weeks", "labelled accuracy, drift tests", "plan retraining, revisit thresholds"),
    FeedbackClock("months", "who is being screened", "collect or rebalance training data"),
    FeedbackClock("quarters", "fit of the whole design", "revise the problem or architecture"),
)
"""The loops of ML Workflow, §Systems Thinking, "Multi-scale feedback", fastest first."""
