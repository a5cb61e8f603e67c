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

from ..errors import InputError
from ..facts.constants import (
    DR_INFERENCE_LATENCY_TARGET,
    DR_MODEL_SIZE_TARGET,
    DR_SENSITIVITY_TARGET,
    DR_SPECIFICITY_TARGET,
    PSI_SIGNIFICANT_ABOVE,
)
from ..units import (
    Q_,
    Number,
    as_number,
    as_quantity,
    format_quantity,
    is_quantity,
    nonnegative_number,
    nonnegative_quantity,
)
from . import propagation
from .lifecycle import STAGES, stage_number

__all__ = [
    "STAGES",
    "PARADIGMS",
    "StageContract",
    "Clause",
    "Check",
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


#: What an audit check returns: whether it passed, and what it found.
Finding = tuple[bool, str]


@dataclass(frozen=True)
class Check:
    """How the audit verifies a clause: ``item`` (its label in an audit), the artifact
    ``field`` it reads, and ``test``, which returns (ok, what it found)."""

    item: str
    field: str
    test: Callable[[Mapping], Finding]


@dataclass(frozen=True)
class Clause:
    """One promise of a stage's contract, as the chapter's table words it (``text``), of
    ``kind`` "output" (what the stage hands over) or "invariant" (what must hold of it), with
    the audit checks that verify it."""

    kind: str
    text: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class StageContract:
    """What one stage consumes, what it must hand over, and what must hold of it.

    ``clauses`` is the one list of the stage's promises; ``outputs`` and ``invariants`` are
    their wording by kind, as the chapter's table gives them.
    """

    stage: int
    name: str
    inputs: tuple[str, ...]
    clauses: tuple[Clause, ...]

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.clauses if c.kind == "output")

    @property
    def invariants(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.clauses if c.kind == "invariant")


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

    def cost_if_found_at(self, found_at_stage: Number) -> int:
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


def _compare(artifact: Mapping, key: str, limit_key: str, relation: str) -> Finding:
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


def _true_flag(artifact: Mapping, key: str) -> Finding:
    if key not in artifact or artifact[key] is None:
        return False, f"missing evidence {key!r}"
    value = artifact[key]
    if not isinstance(value, bool):
        raise InputError(f"{key}: expected True or False, got {type(value).__name__} {value!r}")
    return value, "yes" if value else "no"


def _objectives_present(a: Mapping) -> Finding:
    obj = a.get("objectives")
    if not isinstance(obj, Mapping) or not obj:
        return False, "no objectives given"
    return True, ", ".join(f"{k} {v}" for k, v in obj.items())


def _objectives_quantified(a: Mapping) -> Finding:
    obj = a.get("objectives")
    if not isinstance(obj, Mapping) or not obj:
        return False, "no objectives to check"
    vague = [k for k, v in obj.items() if not _is_number(v)]
    if vague:
        return False, "not quantified: " + ", ".join(map(str, vague))
    return True, "every objective has a numeric target"


def _paradigm_set(a: Mapping) -> Finding:
    value = a.get("deployment_paradigm")
    if not _present(value):
        return False, "missing (deployment left for later)"
    if not isinstance(value, str) or value.strip().lower() not in {p.lower() for p in PARADIGMS}:
        return False, f"{value!r} is not one of {', '.join(PARADIGMS)}"
    return True, value


def _resources_complete(a: Mapping) -> Finding:
    res = a.get("resource_constraints")
    if not isinstance(res, Mapping) or not res:
        return False, "no resource constraints given"
    missing = [k for k in ("budget", "latency", "memory") if not _present(res.get(k))]
    if missing:
        return False, "incomplete: no " + " or ".join(missing) + " target"
    return True, "budget, latency and memory targets given"


def _field_present(field: str) -> Callable[[Mapping], Finding]:
    def check(a: Mapping) -> Finding:
        return (True, "provided") if _present(a.get(field)) else (False, "missing")

    return check


def _psi_ok(a: Mapping) -> Finding:
    if a.get("production_psi") is None:
        return False, "missing evidence 'production_psi'"
    psi = nonnegative_number(a["production_psi"], "production_psi")
    limit = float(PSI_SIGNIFICANT_ABOVE.magnitude)
    ok = psi <= limit
    return ok, f"PSI {psi:g} {'<=' if ok else '>'} {limit:g}"


def _subgroups_ok(a: Mapping) -> Finding:
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


def _output(text: str, *checks: tuple) -> Clause:
    return Clause("output", text, tuple(Check(*c) for c in checks))


def _invariant(text: str, *checks: tuple) -> Clause:
    return Clause("invariant", text, tuple(Check(*c) for c in checks))


def _provided(item: str, field: str) -> tuple:
    """A check that ``field`` is provided (not missing, empty or "TBD")."""
    return (item, field, _field_present(field))


def _within(item: str, key: str, limit_key: str, relation: str) -> tuple:
    """A check that the evidence ``key`` is ``relation`` (">=" or "<=") its ``limit_key``."""
    return (item, key, lambda a: _compare(a, key, limit_key, relation))


def _flag(item: str, key: str) -> tuple:
    """A check that the evidence ``key`` is True."""
    return (item, key, lambda a: _true_flag(a, key))


def _stage(number: int, inputs: tuple[str, ...], *clauses: Clause) -> StageContract:
    return StageContract(number, STAGES[number - 1], inputs, clauses)


#: The one table of the six stages' contracts (ML Workflow, §Lifecycle Stages, stage
#: interface specification): what each stage receives, and each promise (output or
#: invariant) with the checks :func:`audit_handoff` runs for it, in audit order.
CONTRACTS: dict[int, StageContract] = {
    1: _stage(
        1,
        ("business need", "operating context"),
        _output("measurable objectives", ("measurable objectives", "objectives", _objectives_present)),
        _output("chosen deployment paradigm", ("deployment paradigm", "deployment_paradigm", _paradigm_set)),
        _output("resource limits", ("resource constraints", "resource_constraints", _resources_complete)),
        _invariant(
            "every success criterion is a number that can be tested",
            ("success criteria are quantifiable", "objectives", _objectives_quantified),
        ),
        _invariant(
            "the target deployment paradigm is named",
            ("target paradigm is explicit", "deployment_paradigm", _paradigm_set),
        ),
    ),
    2: _stage(
        2,
        ("objectives", "deployment target", "data quality requirements"),
        _output(
            "versioned dataset with a schema",
            _provided("versioned dataset", "dataset_version"),
            _provided("schema", "schema"),
        ),
        _output("preprocessing pipeline", _provided("preprocessing pipeline", "preprocessing_pipeline")),
        _output("data validation rules", _provided("validation rules", "validation_rules")),
        _invariant(
            "the data's distribution resembles expected production traffic",
            ("distribution resembles production", "production_psi", _psi_ok),
        ),
        _invariant(
            "label accuracy meets the stated requirement",
            _within("labels accurate enough", "label_accuracy", "label_accuracy_required", ">="),
        ),
    ),
    3: _stage(
        3,
        ("dataset", "accuracy targets", "resource limits"),
        _output("trained weights", _provided("trained weights", "weights")),
        _output("training configuration", _provided("training configuration", "training_config")),
        _output("experiment log", _provided("experiment log", "experiment_log")),
        _invariant(
            "accuracy targets are met within the compute budget",
            _within("accuracy target met", "accuracy", "accuracy_target", ">="),
            _within("within compute budget", "training_cost", "compute_budget", "<="),
        ),
        _invariant(
            "the architecture fits the deployment target",
            _within("fits the deployment target", "model_size", "memory_budget", "<="),
        ),
    ),
    4: _stage(
        4,
        ("trained model", "held-out test data", "evaluation criteria"),
        _output("metrics broken down by subgroup", _provided("subgroup metrics", "subgroup_metrics")),
        _output("failure-mode analysis", _provided("failure-mode analysis", "failure_modes")),
        _output("validation sign-off", _provided("validation sign-off", "validation_certificate")),
        _invariant(
            "no critical subgroup falls below its floor",
            ("no subgroup below its floor", "subgroup_metrics", _subgroups_ok),
        ),
        _invariant(
            "confidence calibration is good enough for the domain",
            _within("calibration good enough", "calibration_error", "max_calibration_error", "<="),
        ),
    ),
    5: _stage(
        5,
        ("validated model", "infrastructure requirements", "service-level targets"),
        _output("serving endpoint", _provided("serving endpoint", "serving_endpoint")),
        _output("monitoring hooks", _provided("monitoring hooks", "monitoring")),
        _output("rollback procedure", _provided("rollback procedure", "rollback_procedure")),
        _invariant(
            "latency and throughput meet the paradigm's requirements",
            _within("latency within budget", "latency_p95", "latency_budget", "<="),
        ),
        _invariant("integration tests pass", _flag("integration tests pass", "integration_tests_passed")),
    ),
    6: _stage(
        6,
        ("live system", "performance baselines", "alert thresholds"),
        _output("drift alerts", _provided("drift alerts", "drift_alerts")),
        _output("retraining triggers", _provided("retraining triggers", "retraining_triggers")),
        _output("incident reports", _provided("incident reports", "incident_reports")),
        _invariant(
            "performance stays inside its agreed bounds",
            _flag("performance within bounds", "within_bounds"),
        ),
        _invariant(
            "degradation is caught before users feel it",
            _flag("degradation caught before impact", "detected_before_impact"),
        ),
    ),
}


def contract(stage: Number) -> StageContract:
    """The :class:`StageContract` for a stage number (1-6) or name."""
    return CONTRACTS[stage_number(stage)]


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
    for clause in CONTRACTS[number].clauses:
        for check in clause.checks:
            ok, detail = check.test(artifact)
            checks.append(CheckResult(item=check.item, kind=clause.kind, field=check.field, ok=bool(ok), detail=detail))
            if not ok:
                failing.setdefault(check.field, []).append(f"{check.item} ({detail})")
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
