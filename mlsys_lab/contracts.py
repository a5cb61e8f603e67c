"""Stage interface contracts and hand-off audits.

ML Workflow, §Lifecycle Stages, stage interface specification (its table of input
contract, output contract and quality invariant per stage) and Example 1.1 (auditing
stage transitions). Each stage is treated like a service with an API: it promises
certain outputs, and those outputs must satisfy invariants before the next stage may
start. :func:`audit_handoff` checks a hand-off, given as a plain ``dict`` artifact,
against the stage's output contract and invariants and lists every violation; a
hand-off with any violation is blocked.

Artifact keys by stage (outputs first, then the evidence the invariants read):

1 Problem Definition: ``objectives`` (mapping metric -> numeric target),
  ``deployment_paradigm`` ("Cloud", "Edge", "Mobile" or "TinyML"),
  ``resource_constraints`` (mapping with ``budget``, ``latency`` and ``memory``).
2 Data Collection & Preparation: ``dataset_version``, ``schema``,
  ``preprocessing_pipeline``, ``validation_rules``; evidence ``production_psi`` (PSI of
  the training data against expected production data) and ``label_accuracy`` with
  ``label_accuracy_required``.
3 Model Development & Training: ``weights``, ``training_config``, ``experiment_log``;
  evidence ``accuracy``/``accuracy_target``, ``training_cost``/``compute_budget``,
  ``model_size``/``memory_budget`` (plain numbers in MB).
4 Evaluation & Validation: ``subgroup_metrics`` (mapping group -> value),
  ``failure_modes``, ``validation_certificate``; evidence ``subgroup_floor``,
  ``calibration_error``/``max_calibration_error``.
5 Deployment & Integration: ``serving_endpoint``, ``monitoring``,
  ``rollback_procedure``; evidence ``latency_p95``/``latency_budget`` (plain numbers in
  ms) and
  ``integration_tests_passed``.
6 Monitoring & Maintenance: ``drift_alerts``, ``retraining_triggers``,
  ``incident_reports``; evidence ``within_bounds`` and ``detected_before_impact``.

Violations are counted once per artifact field: in Example 1.1 the missing paradigm
fails both an output item and an invariant but is one violation, and the incomplete
resource constraints are the second, so the audit reports two violations and blocks.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from . import propagation
from .constants import (
    DR_INFERENCE_LATENCY_TARGET,
    DR_MODEL_SIZE_TARGET,
    DR_SENSITIVITY_TARGET,
    DR_SPECIFICITY_TARGET,
    PSI_SIGNIFICANT_ABOVE,
)
from .errors import InputError
from .lifecycle import STAGES, stage_number
from .units import (
    Q_,
    Number,
    as_number,
    as_quantity,
    format_quantity,
    is_quantity,
    nonnegative_number,
    nonnegative_quantity,
)

__all__ = [
    "STAGES",
    "PARADIGMS",
    "StageContract",
    "CheckResult",
    "AuditResult",
    "CONTRACTS",
    "contract",
    "audit_handoff",
    "late_discovery_cost",
    "EXAMPLE_1_1_HANDOFF",
    "EXAMPLE_1_1_RESOLVED",
]

#: Deployment paradigms a Problem Definition may select.
PARADIGMS: tuple[str, ...] = ("Cloud", "Edge", "Mobile", "TinyML")


@dataclass(frozen=True)
class StageContract:
    """What one stage consumes, what it must hand over, and what must hold of it."""

    stage: int
    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    invariants: tuple[str, ...]


@dataclass(frozen=True)
class CheckResult:
    """One audited item: ``kind`` is "output" or "invariant"; ``field`` the artifact key."""

    item: str
    kind: str
    field: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class AuditResult:
    """Outcome of :func:`audit_handoff`.

    ``violations`` has one message per failing artifact field; ``blocked`` is True when
    there is any violation. ``cost_if_found_at(n)`` prices letting the problem slip to
    stage ``n`` with the constraint propagation multiplier.
    """

    stage: int
    stage_name: str
    checks: tuple[CheckResult, ...]
    violations: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.violations

    @property
    def blocked(self) -> bool:
        return bool(self.violations)

    def cost_if_found_at(self, found_at_stage: Any) -> int:
        """Multiplier ``2**(found - this stage)`` for discovering the problem later."""
        return propagation.stage_ratio(self.stage, found_at_stage)

    def summary(self) -> str:
        lines = [f"Audit of {self.stage_name} (stage {self.stage}) hand-off"]
        for c in self.checks:
            mark = "ok  " if c.ok else "FAIL"
            lines.append(f"  [{mark}] {c.kind:9s} {c.item}: {c.detail}")
        verdict = "BLOCKED" if self.blocked else "PASSED"
        lines.append(f"  -> {verdict}: {len(self.violations)} violation(s)")
        return "\n".join(lines)


CONTRACTS: dict[int, StageContract] = {
    1: StageContract(
        1,
        STAGES[0],
        inputs=("business need", "operating context"),
        outputs=("measurable objectives", "chosen deployment paradigm", "resource limits"),
        invariants=(
            "every success criterion is a number that can be tested",
            "the target deployment paradigm is named",
        ),
    ),
    2: StageContract(
        2,
        STAGES[1],
        inputs=("objectives", "deployment target", "data quality requirements"),
        outputs=("versioned dataset with a schema", "preprocessing pipeline", "data validation rules"),
        invariants=(
            "the data's distribution resembles expected production traffic",
            "label accuracy meets the stated requirement",
        ),
    ),
    3: StageContract(
        3,
        STAGES[2],
        inputs=("dataset", "accuracy targets", "resource limits"),
        outputs=("trained weights", "training configuration", "experiment log"),
        invariants=(
            "accuracy targets are met within the compute budget",
            "the architecture fits the deployment target",
        ),
    ),
    4: StageContract(
        4,
        STAGES[3],
        inputs=("trained model", "held-out test data", "evaluation criteria"),
        outputs=("metrics broken down by subgroup", "failure-mode analysis", "validation sign-off"),
        invariants=(
            "no critical subgroup falls below its floor",
            "confidence calibration is good enough for the domain",
        ),
    ),
    5: StageContract(
        5,
        STAGES[4],
        inputs=("validated model", "infrastructure requirements", "service-level targets"),
        outputs=("serving endpoint", "monitoring hooks", "rollback procedure"),
        invariants=("latency and throughput meet the paradigm's requirements", "integration tests pass"),
    ),
    6: StageContract(
        6,
        STAGES[5],
        inputs=("live system", "performance baselines", "alert thresholds"),
        outputs=("drift alerts", "retraining triggers", "incident reports"),
        invariants=("performance stays inside its agreed bounds", "degradation is caught before users feel it"),
    ),
}


def contract(stage: Number) -> StageContract:
    """The :class:`StageContract` for a stage number (1-6) or name."""
    return CONTRACTS[stage_number(stage)]


# --------------------------------------------------------------------------------------
# Helpers used by the checks
# --------------------------------------------------------------------------------------
_MISSING_WORDS = {"", "tbd", "todo", "later", "unknown", "none", "n/a", "to be decided"}


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        text = value.strip().lower()
        return bool(text) and text not in _MISSING_WORDS and "later" not in text
    if isinstance(value, (list, tuple, set, dict)) and not value:
        return False
    return True


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if is_quantity(value):
        return True
    return isinstance(value, numbers.Real)


# Plain numbers for these evidence keys are read in these units.
_DEFAULT_UNITS = {"latency_p95": "ms", "model_size": "MB"}


def _compare(artifact: Mapping, key: str, limit_key: str, relation: str) -> tuple[bool, str]:
    if key not in artifact or artifact[key] is None:
        return False, f"missing evidence {key!r}"
    if limit_key not in artifact or artifact[limit_key] is None:
        return False, f"missing evidence {limit_key!r}"
    raw_value, raw_limit = artifact[key], artifact[limit_key]
    unit = _DEFAULT_UNITS.get(key)
    if unit is not None:
        value = as_quantity(raw_value, unit, key)
        limit = as_quantity(raw_limit, unit, limit_key)
    elif is_quantity(raw_limit):
        limit = as_quantity(raw_limit, str(raw_limit.units), limit_key)
        value = as_quantity(raw_value, str(limit.units), key)  # plain numbers: limit's unit
    elif is_quantity(raw_value):
        value = as_quantity(raw_value, str(raw_value.units), key)
        limit = as_quantity(raw_limit, str(value.units), limit_key)
    else:
        value = Q_(as_number(raw_value, key), "dimensionless")
        limit = Q_(as_number(raw_limit, limit_key), "dimensionless")
    if relation == ">=":
        ok = value.magnitude >= limit.magnitude
    else:
        ok = value.magnitude <= limit.magnitude
    return ok, f"{format_quantity(value)} {relation} {format_quantity(limit)} is {ok}"


def _true_flag(artifact: Mapping, key: str) -> tuple[bool, str]:
    if key not in artifact or artifact[key] is None:
        return False, f"missing evidence {key!r}"
    value = artifact[key]
    if not isinstance(value, bool):
        raise InputError(f"{key}: expected True or False, got {type(value).__name__} {value!r}")
    return value, "yes" if value else "no"


def _objectives_present(a: Mapping) -> tuple[bool, str]:
    obj = a.get("objectives")
    if not isinstance(obj, Mapping) or not obj:
        return False, "no objectives given"
    return True, ", ".join(f"{k} {v}" for k, v in obj.items())


def _objectives_quantified(a: Mapping) -> tuple[bool, str]:
    obj = a.get("objectives")
    if not isinstance(obj, Mapping) or not obj:
        return False, "no objectives to check"
    vague = [k for k, v in obj.items() if not _is_number(v)]
    if vague:
        return False, "not quantified: " + ", ".join(map(str, vague))
    return True, "every objective has a numeric target"


def _paradigm_set(a: Mapping) -> tuple[bool, str]:
    value = a.get("deployment_paradigm")
    if not _present(value):
        return False, "missing (deployment left for later)"
    if not isinstance(value, str) or value.strip().lower() not in {p.lower() for p in PARADIGMS}:
        return False, f"{value!r} is not one of {', '.join(PARADIGMS)}"
    return True, value


def _resources_complete(a: Mapping) -> tuple[bool, str]:
    res = a.get("resource_constraints")
    if not isinstance(res, Mapping) or not res:
        return False, "no resource constraints given"
    missing = [k for k in ("budget", "latency", "memory") if not _present(res.get(k))]
    if missing:
        return False, "incomplete: no " + " or ".join(missing) + " target"
    return True, "budget, latency and memory targets given"


def _field_present(field: str) -> Callable[[Mapping], tuple[bool, str]]:
    def check(a: Mapping) -> tuple[bool, str]:
        return (True, "provided") if _present(a.get(field)) else (False, "missing")

    return check


def _psi_ok(a: Mapping) -> tuple[bool, str]:
    if a.get("production_psi") is None:
        return False, "missing evidence 'production_psi'"
    psi = nonnegative_number(a["production_psi"], "production_psi")
    limit = float(PSI_SIGNIFICANT_ABOVE.magnitude)
    ok = psi <= limit
    return ok, f"PSI {psi:g} {'<=' if ok else '>'} {limit:g}"


def _subgroups_ok(a: Mapping) -> tuple[bool, str]:
    groups = a.get("subgroup_metrics")
    if not isinstance(groups, Mapping) or not groups:
        return False, "missing evidence 'subgroup_metrics'"
    if a.get("subgroup_floor") is None:
        return False, "missing evidence 'subgroup_floor'"
    floor = as_number(a["subgroup_floor"], "subgroup_floor")
    below = [
        f"{g} ({as_number(v, f'subgroup_metrics[{g!r}]'):g})"
        for g, v in groups.items()
        if as_number(v, f"subgroup_metrics[{g!r}]") < floor
    ]
    if below:
        return False, f"below the {floor:g} floor: " + ", ".join(below)
    return True, f"all {len(groups)} subgroups >= {floor:g}"


# (item, kind, field, check)
_CHECKS: dict[int, list[tuple[str, str, str, Callable[[Mapping], tuple[bool, str]]]]] = {
    1: [
        ("measurable objectives", "output", "objectives", _objectives_present),
        ("deployment paradigm", "output", "deployment_paradigm", _paradigm_set),
        ("resource constraints", "output", "resource_constraints", _resources_complete),
        ("success criteria are quantifiable", "invariant", "objectives", _objectives_quantified),
        ("target paradigm is explicit", "invariant", "deployment_paradigm", _paradigm_set),
    ],
    2: [
        ("versioned dataset", "output", "dataset_version", _field_present("dataset_version")),
        ("schema", "output", "schema", _field_present("schema")),
        ("preprocessing pipeline", "output", "preprocessing_pipeline", _field_present("preprocessing_pipeline")),
        ("validation rules", "output", "validation_rules", _field_present("validation_rules")),
        ("distribution resembles production", "invariant", "production_psi", _psi_ok),
        (
            "labels accurate enough",
            "invariant",
            "label_accuracy",
            lambda a: _compare(a, "label_accuracy", "label_accuracy_required", ">="),
        ),
    ],
    3: [
        ("trained weights", "output", "weights", _field_present("weights")),
        ("training configuration", "output", "training_config", _field_present("training_config")),
        ("experiment log", "output", "experiment_log", _field_present("experiment_log")),
        ("accuracy target met", "invariant", "accuracy", lambda a: _compare(a, "accuracy", "accuracy_target", ">=")),
        (
            "within compute budget",
            "invariant",
            "training_cost",
            lambda a: _compare(a, "training_cost", "compute_budget", "<="),
        ),
        (
            "fits the deployment target",
            "invariant",
            "model_size",
            lambda a: _compare(a, "model_size", "memory_budget", "<="),
        ),
    ],
    4: [
        ("subgroup metrics", "output", "subgroup_metrics", _field_present("subgroup_metrics")),
        ("failure-mode analysis", "output", "failure_modes", _field_present("failure_modes")),
        ("validation sign-off", "output", "validation_certificate", _field_present("validation_certificate")),
        ("no subgroup below its floor", "invariant", "subgroup_metrics", _subgroups_ok),
        (
            "calibration good enough",
            "invariant",
            "calibration_error",
            lambda a: _compare(a, "calibration_error", "max_calibration_error", "<="),
        ),
    ],
    5: [
        ("serving endpoint", "output", "serving_endpoint", _field_present("serving_endpoint")),
        ("monitoring hooks", "output", "monitoring", _field_present("monitoring")),
        ("rollback procedure", "output", "rollback_procedure", _field_present("rollback_procedure")),
        (
            "latency within budget",
            "invariant",
            "latency_p95",
            lambda a: _compare(a, "latency_p95", "latency_budget", "<="),
        ),
        (
            "integration tests pass",
            "invariant",
            "integration_tests_passed",
            lambda a: _true_flag(a, "integration_tests_passed"),
        ),
    ],
    6: [
        ("drift alerts", "output", "drift_alerts", _field_present("drift_alerts")),
        ("retraining triggers", "output", "retraining_triggers", _field_present("retraining_triggers")),
        ("incident reports", "output", "incident_reports", _field_present("incident_reports")),
        ("performance within bounds", "invariant", "within_bounds", lambda a: _true_flag(a, "within_bounds")),
        (
            "degradation caught before impact",
            "invariant",
            "detected_before_impact",
            lambda a: _true_flag(a, "detected_before_impact"),
        ),
    ],
}


def audit_handoff(stage: Number, artifact: Mapping[str, Any]) -> AuditResult:
    """Check a stage's hand-off against its output contract and quality invariants.

    ``stage`` is 1-6 or a stage name; ``artifact`` a mapping using the keys listed in the
    module docstring (extra keys are ignored). Returns an :class:`AuditResult` with every
    check, one violation message per failing field, and ``blocked`` set when any check
    fails. ``audit_handoff(1, EXAMPLE_1_1_HANDOFF)`` reproduces Example 1.1 (ML Workflow,
    §Lifecycle Stages): two violations, transition blocked.
    """
    number = stage_number(stage)
    if not isinstance(artifact, Mapping):
        raise InputError(f"artifact: expected a dict of hand-off fields, got {type(artifact).__name__}")
    checks: list[CheckResult] = []
    failing: dict[str, list[str]] = {}
    for item, kind, field, check in _CHECKS[number]:
        ok, detail = check(artifact)
        checks.append(CheckResult(item=item, kind=kind, field=field, ok=bool(ok), detail=detail))
        if not ok:
            failing.setdefault(field, []).append(f"{item} ({detail})")
    violations = tuple(f"{field}: " + "; ".join(items) for field, items in failing.items())
    return AuditResult(number, STAGES[number - 1], tuple(checks), violations)


def late_discovery_cost(found_at_stage: Number, origin_stage: Number = 1, base_cost: Number = 1.0):
    """Cost of fixing at ``found_at_stage`` a problem that belonged to ``origin_stage``.

    ``base_cost x 2**(found_at_stage - origin_stage)``, the constraint propagation
    multiplier (ML Workflow, §Systems Thinking). ``base_cost`` is the effort of fixing it
    at its origin: a plain number (returned as float) or a quantity such as
    ``Q_(1, "day")`` (returned as a quantity in the same unit). A one-day decision skipped
    at Problem Definition costs 32 days when found at Monitoring.
    """
    multiplier = propagation.stage_ratio(origin_stage, found_at_stage)
    if is_quantity(base_cost):
        return nonnegative_quantity(base_cost, str(base_cost.units), "base_cost") * multiplier
    return nonnegative_number(base_cost, "base_cost") * multiplier


#: Example 1.1's Problem Definition hand-off: numeric clinical targets, no paradigm,
#: and a budget without latency or memory targets. (The chapter does not give the
#: budget's amount; the figure here is illustrative.)
_EXAMPLE_1_1_OBJECTIVES = {
    "sensitivity": DR_SENSITIVITY_TARGET.m_as("dimensionless"),
    "specificity": DR_SPECIFICITY_TARGET.m_as("dimensionless"),
}

EXAMPLE_1_1_HANDOFF: dict[str, Any] = {
    "objectives": dict(_EXAMPLE_1_1_OBJECTIVES),
    "deployment_paradigm": "deployment will be figured out later",
    "resource_constraints": {"budget": Q_(250_000, "USD")},
}

#: The same hand-off after the resolution in Example 1.1: Edge, < 50 ms, < 200 MB.
EXAMPLE_1_1_RESOLVED: dict[str, Any] = {
    "objectives": dict(_EXAMPLE_1_1_OBJECTIVES),
    "deployment_paradigm": "Edge",
    "resource_constraints": {
        "budget": Q_(250_000, "USD"),
        "latency": DR_INFERENCE_LATENCY_TARGET,
        "memory": DR_MODEL_SIZE_TARGET,
    },
}
