"""Plots and widgets of the validation-to-monitoring notebook build without a live kernel."""

import pytest
from matplotlib.figure import Figure

from mlsys_lab.data import subgroups as sg
from mlsys_lab.data import telemetry as tm
from mlsys_lab.errors import InputError
from mlsys_lab.science import drift, economics
from mlsys_lab.science import monitoring as mon
from mlsys_lab.viz import calibration as vcal
from mlsys_lab.viz import drift as vdrift
from mlsys_lab.viz import economics as vecon
from mlsys_lab.viz import monitoring as vmon


def test_cumulative_costs_plot_marks_payback():
    fig = vecon.plot_cumulative_costs()
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    payback = economics.compare_deployments().payback.to("year").magnitude
    assert any(f"{payback:.2f}" in label for label in labels)


def test_economics_widget_builds_once():
    assert vecon.deployment_economics_widget(clinics=100) is not None


def test_reliability_plot():
    fig = vcal.plot_reliability({"a": sg.synthetic_confidences(seed=1)})
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    with pytest.raises(InputError):
        vcal.plot_reliability({})


def test_drift_bins_match_the_calculator():
    before, after = tm.camera_samples(seed=11)
    _, ref, cur = drift.quantile_bins(before, after)
    assert drift.psi(ref, cur) == pytest.approx(drift.psi_from_samples(before, after))
    assert isinstance(vdrift.plot_drift(before, after), Figure)
    assert isinstance(vdrift.plot_psi_by_day([0.01, 0.15, 0.3]), Figure)


def test_monitoring_views():
    week = tm.simulate_clinic_week(seed=7)
    alerts = mon.evaluate_series(week.days, week.baselines)
    assert isinstance(vmon.plot_week(week.days, week.baselines, alerts), Figure)
    assert isinstance(vmon.plot_alert_timeline(alerts, days=7), Figure)
    assert "sensitivity_7d" in vmon.alert_rules_table().data
    assert vmon.alert_rules_widget(psi=0.3) is not None
