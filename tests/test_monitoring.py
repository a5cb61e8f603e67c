"""Tests for mlsys_lab.science.monitoring."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import monitoring as mon
from mlsys_lab.units import Q_

HEALTHY = {
    "sensitivity_7d": 0.93,
    "specificity": 0.85,
    "mean_confidence": 0.9,
    "referral_rate": 0.12,
    "quality_rejection_rate": 0.05,
    "latency_p95": 40,
    "queue_depth": 3,
    "error_rate": 0.0001,
    "psi": 0.02,
}


def test_four_families_covered():
    assert set(r.family for r in mon.RULES) == set(mon.FAMILIES)


def test_healthy_snapshot_is_quiet():
    assert mon.evaluate_alerts(HEALTHY, mon.EXAMPLE_BASELINES) == []


@pytest.mark.parametrize(
    "metric, value, rule",
    [
        ("sensitivity_7d", 0.87, "sensitivity_alert"),
        ("specificity", 0.77, "specificity_alert"),
        ("mean_confidence", 0.80, "confidence_drop"),
        ("referral_rate", 0.09, "referral_shift"),
        ("quality_rejection_rate", 0.21, "quality_rejections"),
        ("latency_p95", Q_(0.101, "s"), "latency_alert"),
        ("queue_depth", 51, "queue_depth"),
        ("error_rate", 0.0011, "error_rate"),
        ("psi", 0.25, "psi_significant"),
    ],
)
def test_each_alert_threshold_fires(metric, value, rule):
    alerts = mon.evaluate_alerts(dict(HEALTHY, **{metric: value}), mon.EXAMPLE_BASELINES)
    assert [a.rule for a in alerts] == [rule]
    assert alerts[0].severity == "alert"


@pytest.mark.parametrize(
    "metric, value",
    [
        ("sensitivity_7d", 0.88),
        ("specificity", 0.78),
        ("quality_rejection_rate", 0.20),
        ("latency_p95", 100),
        ("queue_depth", 50),
        ("error_rate", 0.001),
        ("psi", 0.2),
    ],
)
def test_thresholds_are_strict(metric, value):
    alerts = mon.evaluate_alerts(dict(HEALTHY, **{metric: value}), mon.EXAMPLE_BASELINES)
    assert all(a.severity == "warning" for a in alerts)


def test_warning_hidden_by_alert():
    alerts = mon.evaluate_alerts({"latency_p95": 150})
    assert [a.rule for a in alerts] == ["latency_alert"]
    assert [a.rule for a in mon.evaluate_alerts({"latency_p95": 70})] == ["latency_target"]
    assert [a.rule for a in mon.evaluate_alerts({"psi": 0.1})] == ["psi_moderate"]


def test_subgroup_rule():
    alerts = mon.evaluate_alerts(
        {"subgroup_sensitivity": {"age_under_70": 0.92, "age_70_plus": 0.85}}, mon.EXAMPLE_BASELINES
    )
    assert len(alerts) == 1 and "age_70_plus" in alerts[0].message


def test_week_of_telemetry():
    alerts = mon.evaluate_series(mon.EXAMPLE_WEEK, mon.EXAMPLE_BASELINES)
    assert all(a.day is not None for a in alerts)
    assert not [a for a in alerts if a.day <= 3]
    first = {}
    for a in alerts:
        first.setdefault(a.family, a.day)
    # proxy and data-stability signals fire before the label-based performance alerts
    assert first["proxy"] < first["performance"]
    assert first["data_stability"] < first["performance"]
    day7 = {a.rule for a in alerts if a.day == 7}
    assert {"sensitivity_alert", "latency_alert", "queue_depth", "error_rate"} <= day7


def test_rolling_mean():
    assert mon.rolling_mean([1, 2, 3, 4], window=2).tolist() == [1.0, 1.5, 2.5, 3.5]


def test_input_checks():
    with pytest.raises(InputError, match="^metrics: unknown metric"):
        mon.evaluate_alerts({"sensitivty": 0.9})
    with pytest.raises(InputError, match="^baselines:"):
        mon.evaluate_alerts({"mean_confidence": 0.5})
    with pytest.raises(InputError, match="^days:"):
        mon.evaluate_series([])
