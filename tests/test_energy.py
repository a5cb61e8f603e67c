"""Tests for mlsys_lab.energy."""

import pytest

from mlsys_lab import energy as en
from mlsys_lab.units import Q_


def test_ratios():
    assert en.movement_vs_compute("fp32") == pytest.approx(172.97, abs=0.01)
    assert en.movement_vs_compute("fp16") == pytest.approx(581.82, abs=0.01)
    assert en.energy_ratio(Q_(640, "pJ"), Q_(0.0037, "nJ")) == pytest.approx(172.97, abs=0.01)


def test_workload_energy():
    w = en.workload_energy(1e6, 1e8, "fp32")
    assert w.movement.to("uJ").magnitude == pytest.approx(640)
    assert w.compute.to("uJ").magnitude == pytest.approx(370)
    assert w.movement_share == pytest.approx(640 / 1010)
    heavy = en.workload_energy(1e6, 1e9, "fp32")
    assert heavy.movement_share < w.movement_share
