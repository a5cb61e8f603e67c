"""Tests for mlsys_lab.drift, with a scipy cross-check of the KS statistic."""

import numpy as np
import pytest
from scipy import stats

from mlsys_lab import drift as dr
from mlsys_lab.errors import InputError


def test_psi_identical_is_zero_and_symmetric_formula():
    shares = [0.1, 0.2, 0.3, 0.4]
    assert dr.psi(shares, shares) == pytest.approx(0.0)
    a, b = [0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]
    expected = sum((y - x) * np.log(y / x) for x, y in zip(a, b))
    assert dr.psi(a, b) == pytest.approx(expected)
    assert dr.psi(a, b) == pytest.approx(dr.psi(b, a))  # PSI is symmetric
    assert dr.psi([10, 10], [1, 1]) == pytest.approx(0.0)  # counts are normalised


def test_psi_grows_with_shift():
    rng = np.random.default_rng(0)
    ref = rng.normal(0, 1, 5000)
    values = [dr.psi_from_samples(ref, rng.normal(shift, 1, 5000)) for shift in (0, 0.2, 0.5, 1.0)]
    assert values == sorted(values)
    assert dr.psi_band(values[0]) == "stable"
    assert dr.psi_band(values[-1]) == "significant"


def test_psi_bands_follow_chapter():
    assert dr.psi_band(0.05) == "stable"
    assert dr.psi_band(0.1) == "moderate"
    assert dr.psi_band(0.2) == "moderate"
    assert dr.psi_band(0.2001) == "significant"
    with pytest.raises(InputError, match="^value:"):
        dr.psi_band(-0.1)


def test_psi_empty_bins_stay_finite():
    assert np.isfinite(dr.psi([0.5, 0.5, 0.0], [0.4, 0.4, 0.2]))


def test_ks_matches_scipy():
    rng = np.random.default_rng(1)
    for n, m, shift in [(50, 80, 0.0), (200, 150, 0.3), (1000, 1000, 1.0), (7, 3, 2.0)]:
        a = rng.normal(0, 1, n)
        b = rng.normal(shift, 1, m)
        assert dr.ks_statistic(a, b) == pytest.approx(stats.ks_2samp(a, b).statistic, abs=1e-12)


def test_ks_with_ties_matches_scipy():
    a = [1, 1, 2, 2, 3, 3, 3]
    b = [1, 2, 2, 2, 4]
    assert dr.ks_statistic(a, b) == pytest.approx(stats.ks_2samp(a, b).statistic)


def test_ks_critical_value_and_test():
    assert dr.ks_critical_value(100, 100, 0.05) == pytest.approx(1.3581 * np.sqrt(0.02), rel=1e-3)
    assert dr.ks_critical_value(100, 100, 0.01) > dr.ks_critical_value(100, 100, 0.05)
    rng = np.random.default_rng(2)
    same = dr.ks_test(rng.normal(0, 1, 500), rng.normal(0, 1, 500))
    moved = dr.ks_test(rng.normal(0, 1, 500), rng.normal(1, 1, 500))
    assert not same.drift and moved.drift


def test_psi_input_checks():
    with pytest.raises(InputError, match="^actual_shares:"):
        dr.psi([0.5, 0.5], [0.3, 0.3, 0.4])
    with pytest.raises(InputError, match="^expected_shares:"):
        dr.psi([1.0], [1.0])
    with pytest.raises(InputError, match="^reference:"):
        dr.psi_from_samples([1, 1, 1, 1], [1, 2])
