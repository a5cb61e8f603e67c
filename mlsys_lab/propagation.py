"""The constraint propagation principle: late discoveries cost 2**(N-1) times more.

ML Workflow, §Systems Thinking, constraint propagation principle (Definition 1.3), and
the lifecycle's stage numbering (§Lifecycle Stages):

    1 Problem Definition        4 Evaluation & Validation
    2 Data Collection & Prep.   5 Deployment & Integration
    3 Model Development         6 Monitoring & Maintenance

A constraint that belonged to stage 1 but surfaces at stage N forces rework in every
stage it passed through. The chapter models the cost as ``2**(N - 1)`` times the effort
of settling it at stage 1: 16x at deployment (stage 5), 32x at monitoring (stage 6).
Between two stages the ratio is ``2**(later - earlier)``: catching a problem at stage 6
instead of stage 2 costs 16x, not the 4x a linear model would suggest.
"""

from __future__ import annotations

from .errors import InputError
from .units import Number, require_count

__all__ = [
    "STAGES",
    "stage_number",
    "cost_multiplier",
    "stage_ratio",
    "multiplier_table",
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
    "problem": 1, "problem definition": 1, "definition": 1,
    "data": 2, "data collection": 2, "data collection & preparation": 2,
    "data collection and preparation": 2, "collection": 2,
    "model": 3, "model development": 3, "model development & training": 3,
    "model development and training": 3, "training": 3,
    "evaluation": 4, "validation": 4, "evaluation & validation": 4,
    "evaluation and validation": 4,
    "deployment": 5, "deployment & integration": 5, "deployment and integration": 5,
    "monitoring": 6, "maintenance": 6, "monitoring & maintenance": 6,
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


def cost_multiplier(stage: Number) -> int:
    """Correction cost at stage N relative to stage 1: ``2**(N - 1)`` (1, 2, 4, 8, 16, 32)."""
    return 2 ** (stage_number(stage) - 1)


def stage_ratio(earlier: Number, later: Number) -> int:
    """How many times more a fix costs at ``later`` than at ``earlier``: ``2**(later-earlier)``.

    ``stage_ratio(2, 6) == 16`` (ML Workflow, §Summary self-check).
    """
    a = stage_number(earlier, "earlier")
    b = stage_number(later, "later")
    if b < a:
        raise InputError(f"later: must not come before earlier (stage {a}), got stage {b}")
    return 2 ** (b - a)


def multiplier_table() -> dict[int, int]:
    """``{stage: 2**(stage-1)}`` for the six stages."""
    return {n: cost_multiplier(n) for n in range(1, len(STAGES) + 1)}
