"""The ML lifecycle itself: its six stages, its two pipelines and its feedback loops.

ML Workflow, §Lifecycle Stages (the six stages and their numbering), §ML Lifecycle (the
two-pipeline figure: the data pipeline feeding the model pipeline, and the arrows that run
backwards) and §Systems Thinking, "Multi-scale feedback" (the loops of the DR network and their
clocks). Other modules number stages through :func:`stage_number`; the plots are in
:mod:`mlsys_lab.viz.lifecycle_loop` and :mod:`mlsys_lab.viz.feedback_clocks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..units import Number, require_count

__all__ = [
    "STAGES",
    "stage_number",
    "BACKWARD_ARROWS",
    "DATA_PIPELINE",
    "FEEDBACK_CLOCKS",
    "FeedbackArrow",
    "FeedbackClock",
    "MODEL_PIPELINE",
]

#: The six lifecycle stages, in order (index 0 is stage 1).
STAGES: tuple[str, ...] = (
    "Problem Definition",
    "Data Collection & Preparation",
    "Model Development & Training",
    "Evaluation & Validation",
    "Deployment & Integration",
    "Monitoring & Maintenance",
)

_ALIASES = {
    "problem": 1,
    "problem definition": 1,
    "definition": 1,
    "data": 2,
    "data collection": 2,
    "data collection & preparation": 2,
    "data collection and preparation": 2,
    "collection": 2,
    "model": 3,
    "model development": 3,
    "model development & training": 3,
    "model development and training": 3,
    "training": 3,
    "evaluation": 4,
    "validation": 4,
    "evaluation & validation": 4,
    "evaluation and validation": 4,
    "deployment": 5,
    "deployment & integration": 5,
    "deployment and integration": 5,
    "monitoring": 6,
    "maintenance": 6,
    "monitoring & maintenance": 6,
    "monitoring and maintenance": 6,
}


def stage_number(stage: Number, name: str = "stage") -> int:
    """Stage index 1..6 from a number or a stage name ("Deployment", "monitoring", ...)."""
    if isinstance(stage, str):
        key = " ".join(stage.lower().replace("_", " ").split())
        if key in _ALIASES:
            return _ALIASES[key]
        raise InputError(f"{name}: unknown stage {stage!r}; use 1-6 or one of {', '.join(STAGES)}")
    number = require_count(stage, name)
    if number > len(STAGES):
        raise InputError(f"{name}: lifecycle stages run from 1 to {len(STAGES)}, got {number}")
    return number


# --------------------------------------------------------------------------------------------
# the lifecycle's shape: two pipelines, the arrows that run backwards, and the clocks of feedback

DATA_PIPELINE: tuple[str, ...] = (
    "collection",
    "ingestion",
    "analysis",
    "labeling",
    "validation",
    "preparation",
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
    FeedbackClock("days", "proxy signals: referral rate, confidence, rejections", "open a site data-quality check"),
    FeedbackClock("weeks", "labelled accuracy, drift tests", "plan retraining, revisit thresholds"),
    FeedbackClock("months", "who is being screened", "collect or rebalance training data"),
    FeedbackClock("quarters", "fit of the whole design", "revise the problem or architecture"),
)
"""The loops of ML Workflow, §Systems Thinking, "Multi-scale feedback", fastest first."""
