"""Tests for mlsys_lab.science.drift, with a scipy cross-check of the KS statistic."""

import numpy as np
import pytest
from scipy import stats

from mlsys_lab.errors import InputError
from mlsys_lab.science import drift as dr


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


def _ks_samples():
    """Sample pairs of several shapes, sizes and shifts, including discrete data with ties."""
    rng = np.random.default_rng(11)
    return [
        (rng.normal(0, 1, 500), rng.normal(0, 1, 600)),
        (rng.normal(0, 1, 800), rng.normal(0.1, 1, 800)),
        (rng.normal(0, 1, 1000), rng.normal(0.15, 1, 700)),
        (rng.exponential(1.0, 400), rng.exponential(1.3, 900)),
        (rng.uniform(0, 1, 1200), rng.beta(1.1, 1.0, 1100)),
        (rng.poisson(4, 700).astype(float), rng.poisson(4.3, 650).astype(float)),
        (rng.normal(0, 1, 12), rng.normal(0.5, 2, 9)),
    ]


@pytest.mark.parametrize("index", range(7))
def test_ks_statistic_equals_scipy_ks_2samp(index):
    a, b = _ks_samples()[index]
    assert abs(dr.ks_statistic(a, b) - stats.ks_2samp(a, b).statistic) <= 1e-12
    assert abs(dr.ks_statistic(b, a) - stats.ks_2samp(b, a).statistic) <= 1e-12


def test_ks_critical_value_is_where_the_asymptotic_p_value_equals_alpha():
    # scipy's kstwobign is the limiting distribution of sqrt(nm/(n+m)) * D; the critical value
    # is its (1 - alpha) quantile to the leading term of the series.
    for n, m in [(500, 600), (1000, 1000), (80, 3000)]:
        for alpha in (0.1, 0.05, 0.01):
            crit = dr.ks_critical_value(n, m, alpha)
            p_at_crit = stats.kstwobign.sf(crit * np.sqrt(n * m / (n + m)))
            assert p_at_crit == pytest.approx(alpha, rel=1e-3)


@pytest.mark.parametrize("index", range(6))
def test_ks_test_agrees_with_scipy_p_value(index):
    # large samples, where the asymptotic critical value is comparable with scipy's p-value
    a, b = _ks_samples()[index]
    result = dr.ks_test(a, b, alpha=0.05)
    scipy_result = stats.ks_2samp(a, b)
    en = len(a) * len(b) / (len(a) + len(b))
    asymptotic_p = stats.kstwobign.sf(result.statistic * np.sqrt(en))
    assert asymptotic_p == pytest.approx(scipy_result.pvalue, rel=0.15, abs=0.02)
    if abs(scipy_result.pvalue - 0.05) > 0.01:
        assert result.drift == (scipy_result.pvalue < 0.05)


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
