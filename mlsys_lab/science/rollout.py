"""Staged rollout: which stage exposes whom, and which failures each stage catches.

Follows *ML Workflow*:

* §Evaluation and Validation, "Offline and online evaluation" (and its table and footnote
  on staged rollout): offline evaluation, then shadow mode (the model runs on live traffic
  but nobody sees its output), then a canary (about 1-5 % of traffic sees it), then an A/B
  test against the current model on a larger share. Each stage catches its own class of
  failure: algorithmic, integration, scaling, user-facing.
* §Deployment and Integration, "Pilot to full deployment": simulated environments, then
  pilot sites, then every site, each exposing a different class of problem.

The stages are data (:data:`VALIDATION_STAGES`, :data:`DEPLOYMENT_PHASES`);
:func:`exposed_per_day` turns a traffic share into the number of screenings a day whose
result comes from the new model, and :func:`requests_exposed` counts what a silently broken
model serves before it is rolled back (Conclusion, §Fallacies and Pitfalls).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..facts import constants as C
from ..units import Q_, Number, nonnegative_number, nonnegative_quantity, positive_quantity, require_probability

__all__ = [
    "requests_exposed",
    "Stage",
    "VALIDATION_STAGES",
    "DEPLOYMENT_PHASES",
    "CANARY_SHARE_RANGE",
    "stage",
    "exposed_per_day",
]

_VAL = "ML Workflow, §Evaluation and Validation, offline and online evaluation"
_DEP = "ML Workflow, §Deployment and Integration, pilot to full deployment"


@dataclass(frozen=True)
class Stage:
    """One rollout stage: ``name``, the ``traffic_share`` whose results come from the new
    model (0 when nobody sees them), whether real users act on its output
    (``users_see_output``), the failure class it ``catches`` and the ``source``."""

    name: str
    traffic_share: tuple[float, float]
    users_see_output: bool
    catches: str
    source: str


#: The chapter names 1-5 % of traffic for a canary.
CANARY_SHARE_RANGE: tuple[float, float] = (
    C.CANARY_TRAFFIC_LOW.m_as("dimensionless"),
    C.CANARY_TRAFFIC_HIGH.m_as("dimensionless"),
)

#: Validation gate, lowest risk first. Shadow mode scores all live traffic but serves none
#: of it; the A/B share is a course assumption (the chapter says only "larger").
VALIDATION_STAGES: tuple[Stage, ...] = (
    Stage("offline evaluation", (0.0, 0.0), False, "algorithmic issues", _VAL),
    Stage("shadow mode", (0.0, 0.0), False, "integration issues", _VAL),
    Stage("canary", CANARY_SHARE_RANGE, True, "scaling issues", _VAL),
    Stage("A/B test", (0.10, 0.50), True, "user-facing issues", _VAL),
)

#: Deployment phases, smallest blast radius first.
DEPLOYMENT_PHASES: tuple[Stage, ...] = (
    Stage("simulated environment", (0.0, 0.0), False, "integration defects", _DEP),
    Stage("pilot sites", (0.0, 0.0), True, "real-world variety: equipment, operator skill, patient populations", _DEP),
    Stage(
        "full deployment",
        (1.0, 1.0),
        True,
        "the long tail: rare artifacts, lighting, presentations; load at scale",
        _DEP,
    ),
)


def stage(name: str) -> Stage:
    """Look a stage up by name in either table (case-insensitive)."""
    if not isinstance(name, str):
        raise InputError(f"name: expected a stage name, got {type(name).__name__}")
    for s in VALIDATION_STAGES + DEPLOYMENT_PHASES:
        if s.name.lower() == name.strip().lower():
            return s
    known = ", ".join(s.name for s in VALIDATION_STAGES + DEPLOYMENT_PHASES)
    raise InputError(f"name: unknown stage {name!r}; known: {known}")


def exposed_per_day(traffic_share: Number, daily_requests: Number) -> float:
    """Screenings a day whose result comes from the new model: ``share x requests``.

    A 2 % canary on a network that screens 25,000 patients a day exposes 500 of them.
    """
    share = require_probability(traffic_share, "traffic_share")
    requests = nonnegative_number(daily_requests, "daily_requests")
    return share * requests


def requests_exposed(request_rate: Number, *delays: Number) -> float:
    """Requests served between the start of a silent failure and its correction.

    Conclusion, §Fallacies and Pitfalls, "deploying models without automated rollback": a
    silently degraded model keeps answering until it is rolled back, so the harm grows with
    traffic x time-to-correct, ``request_rate x (detection + response + ...)``.

    ``request_rate`` in requests per second (plain number) or a ``1/time`` quantity;
    ``delays`` are the successive waits (detection, paging a human, the rollback itself),
    hours for plain numbers. Their sum is the exposure window.
    """
    rate = positive_quantity(request_rate, "1 / s", "request_rate")
    if not delays:
        raise InputError("delays: give at least one delay (e.g. the detection delay in hours)")
    window = Q_(0.0, "hour")
    for i, d in enumerate(delays):
        window = window + nonnegative_quantity(d, "hour", f"delays[{i}]")
    return float((rate * window).to("dimensionless").magnitude)
