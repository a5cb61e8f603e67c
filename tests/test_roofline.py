"""Tests for mlsys_lab.science.roofline."""

import numpy as np
import pytest

from mlsys_lab.science import roofline as rf
from mlsys_lab.units import Q_


def test_iron_law_terms_and_total():
    r = rf.iron_law_time(140, 3350, 140, 989)
    assert r.data_time.to("ms").magnitude == pytest.approx(41.791, rel=1e-4)
    assert r.compute_time.to("ms").magnitude == pytest.approx(0.14156, rel=1e-4)
    assert r.latency.magnitude == 0
    assert r.total.magnitude == pytest.approx(r.data_time.magnitude + r.compute_time.magnitude)
    assert r.dominant == "data movement"


def test_iron_law_efficiency_and_latency():
    full = rf.iron_law_time(0, 1, 1000, 1)
    half = rf.iron_law_time(0, 1, 1000, 1, efficiency=0.5)
    assert half.compute_time.magnitude == pytest.approx(2 * full.compute_time.magnitude)
    with_lat = rf.iron_law_time(0, 1, 0, 1, latency=Q_(2, "s"))
    assert with_lat.total.to("ms").magnitude == pytest.approx(2000)
    assert with_lat.dominant == "overhead"


def test_ridge_and_bound():
    ridge = rf.ridge_point(Q_(989, "TFLOP/s"), Q_(3.35, "TB/s"))
    assert ridge.magnitude == pytest.approx(295.2238806)
    assert rf.bound(1, ridge) == "memory-bound"
    assert rf.bound(ridge, ridge) == "compute-bound"
    assert rf.bound(1000, ridge) == "compute-bound"


def test_attainable_performance_is_min_of_roofs():
    assert rf.attainable_performance(1, 989, 3350).magnitude == pytest.approx(3.35)
    assert rf.attainable_performance(1000, 989, 3350).magnitude == pytest.approx(989)


def test_attainable_monotone_in_intensity():
    xs = np.logspace(-1, 4, 50)
    ys = rf.roofline_curve(xs, 989, 3350).magnitude
    assert np.all(np.diff(ys) >= 0)
    assert ys.max() == pytest.approx(989)


def test_arithmetic_intensity():
    i = rf.arithmetic_intensity(Q_(140, "GFLOP"), Q_(140, "GB"))
    assert i.magnitude == pytest.approx(1.0)
