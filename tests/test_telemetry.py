"""Synthetic clinic telemetry around a camera upgrade (ML Workflow, §Monitoring and Maintenance)."""

import pytest

from mlsys_lab.data import telemetry as tm
from mlsys_lab.errors import InputError
from mlsys_lab.science import drift
from mlsys_lab.science import monitoring as mon


def test_week_is_reproducible_and_readable_by_the_rules():
    a = tm.simulate_clinic_week(seed=7)
    b = tm.simulate_clinic_week(seed=7)
    assert a.days == b.days and a.baselines == b.baselines
    assert len(a.days) == len(tm.DEFAULT_UPGRADE)
    assert set(a.days[0]) <= set(mon.METRICS) | {"sensitivity"}
    mon.evaluate_series(a.days, a.baselines)  # every key understood


def test_upgrade_moves_proxies_and_drift_but_not_operations():
    week = tm.simulate_clinic_week(seed=7)
    alerts = mon.evaluate_series(week.days, week.baselines)
    families = {a.family for a in alerts if a.severity == "alert"}
    assert {"proxy", "data_stability"} <= families
    assert "operational" not in families
    assert all(a.day >= 4 for a in alerts)  # nothing before the cameras change
    assert week.days[-1]["sensitivity"] < week.days[0]["sensitivity"]


def test_camera_samples_drift():
    before, after = tm.camera_samples(seed=11)
    assert drift.psi_band(drift.psi_from_samples(before, after)) == "significant"
    assert drift.ks_test(before, after).drift
    same_a, same_b = tm.camera_samples(seed=11)
    assert (same_a == before).all()


def test_lineage_query_finds_the_changed_link():
    log = tm.example_lineage()
    assert tm.lineage_diff(log, "chiang-mai-03", 3, 5) == {"camera": ("fundus-cam-A", "fundus-cam-B")}
    assert tm.lineage_diff(log, "chiang-mai-03", 1, 3) == {}
    assert set(tm.lineage_diff(log, "lampang-01", 1, 5)) == {"model", "training_data"}
    with pytest.raises(InputError):
        tm.lineage_diff(log, "nowhere", 1, 2)


def test_rejects_bad_inputs():
    with pytest.raises(InputError):
        tm.simulate_clinic_week(prevalence=1.0)
    with pytest.raises(InputError):
        tm.simulate_clinic_week(upgraded_share=[0, 1.5])
    with pytest.raises(InputError):
        tm.simulate_clinic_week(images_per_day=10)
