"""Tests for mlsys_lab.science.contracts."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import contracts as ct
from mlsys_lab.units import Q_


def test_six_stage_contracts():
    assert len(ct.STAGES) == 6
    for n in range(1, 7):
        c = ct.contract(n)
        assert c.stage == n and c.inputs and c.outputs and len(c.invariants) == 2


def test_example_1_1_blocks_with_two_violations():
    r = ct.audit_handoff(1, ct.EXAMPLE_1_1_HANDOFF)
    assert r.blocked and not r.passed
    assert len(r.violations) == 2
    fields = {v.split(":")[0] for v in r.violations}
    assert fields == {"deployment_paradigm", "resource_constraints"}
    failed = [c.item for c in r.checks if not c.ok]
    assert "target paradigm is explicit" in failed
    assert r.cost_if_found_at(5) == 16
    assert "BLOCKED" in r.summary()


def test_resolved_handoff_passes():
    r = ct.audit_handoff("problem definition", ct.EXAMPLE_1_1_RESOLVED)
    assert r.passed and r.violations == ()


def test_vague_objectives_fail_quantifiable_invariant():
    art = dict(ct.EXAMPLE_1_1_RESOLVED, objectives={"sensitivity": "high"})
    r = ct.audit_handoff(1, art)
    assert r.blocked
    assert any(v.startswith("objectives") for v in r.violations)


def test_later_stage_audits():
    deploy = {
        "serving_endpoint": "https://clinic.local/infer",
        "monitoring": "prometheus",
        "rollback_procedure": "keep previous model",
        "latency_p95": Q_(45, "ms"),
        "latency_budget": 50,
        "integration_tests_passed": True,
    }
    assert ct.audit_handoff(5, deploy).passed
    slow = dict(deploy, latency_p95=Q_(0.2, "s"))
    assert ct.audit_handoff(5, slow).violations[0].startswith("latency_p95")
    data = {
        "dataset_version": "v3",
        "schema": "fundus-v1",
        "preprocessing_pipeline": "p",
        "validation_rules": "r",
        "production_psi": 0.31,
        "label_accuracy": 0.97,
        "label_accuracy_required": 0.95,
    }
    r = ct.audit_handoff(2, data)
    assert [v.split(":")[0] for v in r.violations] == ["production_psi"]
    assert ct.audit_handoff(4, {}).blocked


def test_late_discovery_cost():
    assert ct.late_discovery_cost(6, base_cost=Q_(1, "day")).to("day").magnitude == 32
    assert ct.late_discovery_cost(6, 2) == 16.0
    assert ct.late_discovery_cost(1) == 1.0
    with pytest.raises(InputError, match="^base_cost:"):
        ct.late_discovery_cost(3, base_cost=-1)


def test_bad_artifact():
    with pytest.raises(InputError, match="^artifact:"):
        ct.audit_handoff(1, ["not", "a", "dict"])
    with pytest.raises(InputError, match="integration_tests_passed"):
        ct.audit_handoff(5, {"integration_tests_passed": "yes"})


def test_one_table_the_audit_runs_the_contracts_own_checks():
    """The contract's wording and the audit's checks are one table: every clause has a check,
    and an audit reports exactly the stage's checks, clause by clause."""
    for n in range(1, 7):
        c = ct.contract(n)
        assert all(clause.checks for clause in c.clauses)
        expected = [(clause.kind, check.item) for clause in c.clauses for check in clause.checks]
        assert [(r.kind, r.item) for r in ct.audit_handoff(n, {}).checks] == expected
        assert c.outputs + c.invariants == tuple(clause.text for clause in c.clauses)
