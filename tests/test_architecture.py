"""Tests for mlsys_lab.science.architecture."""

import pytest

from mlsys_lab.science import architecture as ar
from mlsys_lab.units import Q_


def test_depthwise_savings_formula_matches_mac_counts():
    std = ar.conv_macs(56, 56, 3, 128, 256)
    sep = ar.depthwise_separable_macs(56, 56, 3, 128, 256)
    assert std / sep == pytest.approx(ar.depthwise_separable_savings(3, 256))
    assert ar.depthwise_separable_savings(3, 256) == pytest.approx(8.694, abs=1e-3)


def test_savings_approach_k_squared():
    assert ar.depthwise_separable_savings(3, 10**6) == pytest.approx(9, abs=1e-3)
    assert ar.depthwise_separable_savings(3, 64) < ar.depthwise_separable_savings(3, 256)


def test_ops_ratio():
    assert ar.ops_ratio(Q_(11, "GFLOP"), Q_(300, "MFLOP")) == pytest.approx(36.667, abs=1e-3)
    assert ar.ops_ratio(4.1, 0.3) == pytest.approx(13.667, abs=1e-3)


def test_ensemble_cost():
    assert ar.ensemble_cost(50) == 50
    assert ar.ensemble_cost(10, Q_(14, "MB")).to("MB").magnitude == 140
