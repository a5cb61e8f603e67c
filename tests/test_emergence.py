"""The synthetic clinic network (ML Workflow, §Systems Thinking, emergent complexity)."""

import math

import numpy as np
import pytest

from mlsys_lab.data import emergence as em
from mlsys_lab.errors import InputError


def test_same_seed_same_network():
    a = em.simulate_clinic_network(seed=3)
    b = em.simulate_clinic_network(seed=3)
    assert np.array_equal(a.subgroup_detected, b.subgroup_detected)
    assert a.site_sensitivity().shape == (60, 12)


def test_default_network_hides_the_trend_locally_and_shows_it_pooled():
    c = em.simulate_clinic_network()
    assert em.sites_flagged(c) <= math.ceil(em.expected_false_flags(c.n_sites))
    assert em.network_change_z(c, group="all") > -2
    assert em.network_change_z(c, group="subgroup") < -4
    assert abs(em.network_change_z(c, group="rest")) < 3


def test_no_degradation_means_no_pooled_signal_on_average():
    zs = [em.network_change_z(em.simulate_clinic_network(seed=s, subgroup_final_sensitivity=0.92)) for s in range(20)]
    assert abs(np.mean(zs)) < 1


def test_two_proportion_z_by_hand():
    # 90/100 then 80/100: pooled 0.85, se = sqrt(0.85*0.15*0.02)
    z = em.two_proportion_z(90, 100, 80, 100)
    assert z == pytest.approx(-0.10 / math.sqrt(0.85 * 0.15 * 0.02))
    assert math.isnan(em.two_proportion_z(0, 0, 3, 4))


def test_expected_false_flags():
    assert em.expected_false_flags(100, -2.0) == pytest.approx(100 * 0.02275, rel=1e-3)


def test_ratios_are_nan_without_cases():
    c = em.simulate_clinic_network(n_sites=3, cases_per_site_month=0.5, seed=1)
    sub = c.site_subgroup_sensitivity()
    assert np.isnan(sub).any()
    assert np.all((sub[np.isfinite(sub)] >= 0) & (sub[np.isfinite(sub)] <= 1))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_sites": 0},
        {"months": 1},
        {"cases_per_site_month": -3},
        {"subgroup_share": 1.5},
        {"baseline_sensitivity": "high"},
        {"seed": -1},
    ],
)
def test_nonsense_is_rejected(kwargs):
    with pytest.raises(InputError):
        em.simulate_clinic_network(**kwargs)


def test_bad_window_and_group():
    c = em.simulate_clinic_network(n_sites=4)
    with pytest.raises(InputError):
        em.site_change_z(c, window=7)
    with pytest.raises(InputError):
        em.network_change_z(c, group="everyone")
    with pytest.raises(InputError):
        em.two_proportion_z(5, 4, 1, 2)


def test_plots_and_widget_build():
    from matplotlib.figure import Figure

    from mlsys_lab.viz import emergence as vz

    c = em.simulate_clinic_network(n_sites=10)
    for fig in (vz.plot_site_sensitivity(c), vz.plot_site_change(c), vz.plot_network_subgroup(c)):
        assert isinstance(fig, Figure)
    assert vz.network_size_widget(n_sites=10) is not None


def test_site_window_sensitivity_matches_counts():
    c = em.simulate_clinic_network(n_sites=5, seed=2)
    early, late = em.site_window_sensitivity(c, window=2)
    assert early[0] == pytest.approx(c.site_detected[0, :2].sum() / c.site_cases[0, :2].sum())
    assert late[4] == pytest.approx(c.site_detected[4, -2:].sum() / c.site_cases[4, -2:].sum())
    assert c.subgroup_cases_per_site_month() == pytest.approx(c.subgroup_cases.mean())
