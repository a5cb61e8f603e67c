"""Tests for mlsys_lab.science.latency."""

import pytest

from mlsys_lab.science import latency as lt
from mlsys_lab.units import Q_


def test_serial_and_parallel():
    assert lt.serial_latency(15, 60, 40).magnitude == 115
    assert lt.serial_latency([15, 60, 40]).magnitude == 115
    assert lt.serial_latency().magnitude == 0
    assert lt.parallel_latency(80, Q_(0.2, "s")).to("ms").magnitude == pytest.approx(200)


def test_budget_check():
    over = lt.budget_check(115, 100)
    assert not over.within
    assert over.overshoot.magnitude == 15 and over.headroom.magnitude == -15
    cached = lt.budget_check(lt.serial_latency(15, 40), 100)
    assert cached.within and cached.total.magnitude == 55 and cached.overshoot.magnitude == 0


def test_composed_latency_sum_plus_max():
    r = lt.composed_latency(serial=[40, 120, 600, 90], parallel=[80, 200], orchestration=30)
    assert r.total.magnitude == 1080
    assert r.parallel.magnitude == 200
    more_tools = lt.composed_latency(serial=[40, 120, 600, 90], parallel=[80, 200, 150], orchestration=30)
    assert more_tools.total == r.total  # a faster extra branch adds nothing


def test_tail_and_availability():
    assert lt.tail_ratio(2000, 50) == 40
    assert lt.composed_availability(0.999, 0.999, 0.999, 0.999, 0.999) == pytest.approx(0.995, abs=1e-4)
    assert lt.composed_availability([0.99, 0.98]) < 0.98


def test_best_within_budget():
    opts = [("A", 0.95, 500), ("B", 0.93, 50)]
    assert lt.best_within_budget(opts, 100).name == "B"
    assert lt.best_within_budget(opts, 1000).name == "A"
    assert lt.best_within_budget(opts, 10) is None
