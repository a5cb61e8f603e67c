"""Staged rollout tables (ML Workflow, §Evaluation and Validation; §Deployment and Integration)."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import rollout


def test_stages_in_chapter_order_with_their_failure_classes():
    assert [s.name for s in rollout.VALIDATION_STAGES] == ["offline evaluation", "shadow mode", "canary", "A/B test"]
    assert [s.catches for s in rollout.VALIDATION_STAGES] == [
        "algorithmic issues",
        "integration issues",
        "scaling issues",
        "user-facing issues",
    ]
    assert [s.name for s in rollout.DEPLOYMENT_PHASES] == ["simulated environment", "pilot sites", "full deployment"]
    assert rollout.stage("Canary").traffic_share == rollout.CANARY_SHARE_RANGE == (0.01, 0.05)
    assert not rollout.stage("shadow mode").users_see_output


def test_exposed_per_day():
    assert rollout.exposed_per_day(0.02, 25_000) == pytest.approx(500)
    with pytest.raises(InputError):
        rollout.exposed_per_day(1.2, 100)
    with pytest.raises(InputError):
        rollout.exposed_per_day(0.1, -5)
    with pytest.raises(InputError):
        rollout.stage("big bang")
