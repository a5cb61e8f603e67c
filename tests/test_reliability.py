"""Tests for mlsys_lab.science.reliability."""

import pytest

from mlsys_lab.science import reliability as rl
from mlsys_lab.units import Q_


def test_fleet_mtbf():
    assert rl.fleet_mtbf(5.7, 1024).to("hour").magnitude == pytest.approx(48.795, abs=1e-3)
    assert rl.fleet_mtbf(Q_(5.7, "year"), 1).to("year").magnitude == pytest.approx(5.7)


def test_mtbf_inverse_in_fleet_size():
    a = rl.fleet_mtbf(5.7, 512)
    b = rl.fleet_mtbf(5.7, 1024)
    assert (a / b).to("dimensionless").magnitude == pytest.approx(2)


def test_failure_probability():
    p_day = rl.failure_probability(24, 5.7, 1024)
    assert p_day == pytest.approx(1 - 2.718281828 ** (-24 / 48.795), abs=1e-4)
    assert rl.failure_probability(0, 5.7, 1024) == 0
    assert rl.failure_probability(Q_(30, "day"), 5.7, 1024) > 0.99
    assert rl.expected_failures(Q_(48.795, "hour"), 5.7, 1024) == pytest.approx(1, abs=1e-4)
