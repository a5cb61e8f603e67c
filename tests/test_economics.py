"""Tests for mlsys_lab.science.economics."""

import math

import numpy as np
import pytest

from mlsys_lab.science import economics as ec
from mlsys_lab.units import Q_


def test_volumes():
    assert ec.images_per_year() == 9_125_000
    assert ec.images_per_month() == pytest.approx(760_416.67, abs=0.01)


def test_cloud_and_edge_costs():
    cloud = ec.cloud_annual_cost()
    assert cloud.inference.to("USD/year").magnitude == pytest.approx(91_250)
    assert cloud.total.to("USD/year").magnitude == pytest.approx(136_250)
    edge = ec.edge_costs()
    assert edge.capex.to("USD").magnitude == pytest.approx(250_000)
    assert edge.inference.to("USD/year").magnitude == pytest.approx(9_125)
    assert edge.annual.to("USD/year").magnitude == pytest.approx(34_125)


def test_payback():
    deal = ec.compare_deployments()
    assert deal.payback.to("year").magnitude == pytest.approx(2.448, abs=1e-3)
    never = ec.payback_years(1000, 10, 20)
    assert math.isinf(never.magnitude)
    cheaper_device = ec.compare_deployments(device_price=Q_(250, "USD"))
    assert cheaper_device.payback < deal.payback


def test_cumulative_curves_cross_at_payback():
    cum = ec.cumulative_costs(horizon=5)
    gap = cum.edge.magnitude - cum.cloud.magnitude
    assert gap[0] > 0 and gap[-1] < 0
    crossing = np.interp(0.0, -gap, cum.years.magnitude)
    assert crossing == pytest.approx(cum.payback.magnitude, abs=0.05)


def test_network_cost_helpers():
    assert ec.implied_price_per_gb().to("USD/GB").magnitude == pytest.approx(45_000 / 45_625)
    assert ec.network_cost(Q_(1, "TB"), 0.09).magnitude == pytest.approx(90)
