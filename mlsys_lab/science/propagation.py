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

from ..errors import InputError
from ..units import Number
from .lifecycle import STAGES, stage_number

__all__ = [
    "cost_multiplier",
    "stage_ratio",
    "multiplier_table",
]


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
