"""Training-serving skew (Conclusion, principle 11)."""

import pytest

from mlsys_lab.data import skew
from mlsys_lab.errors import InputError


def test_no_skew_no_gap():
    r = skew.simulate_skew()
    assert r.gap == 0 and r.accuracy_drop == 0 and r.flipped == 0


def test_skew_never_helps_and_grows():
    drops, gaps = [], []
    for offset in (5, 20, 40):
        r = skew.simulate_skew(serving_offset=offset)
        assert r.accuracy_drop >= 0
        assert r.accuracy_drop <= 2 * r.gap + 1e-12  # each flip costs at most 2|p_s - p_t|
        drops.append(r.accuracy_drop)
        gaps.append(r.gap)
    assert gaps == sorted(gaps) and drops == sorted(drops)


def test_skew_gap_helper():
    assert skew.skew_gap([0.2, 0.8], [0.3, 0.6]) == pytest.approx(0.15)
    with pytest.raises(InputError, match="serve_outputs"):
        skew.skew_gap([0.1], [0.1, 0.2])


def test_bad_scale():
    with pytest.raises(InputError, match="serving_scale"):
        skew.simulate_skew(serving_scale=0)


def test_fleet_hides_a_cohort_drop():
    r = skew.fleet_skew()
    by_name = {c.name: c for c in r.cohorts}
    worst = max(r.cohorts, key=lambda c: c.accuracy_drop)
    assert worst.name == "firmware C"
    # the fleet-wide loss is the share-weighted cohort loss, far smaller than the worst
    assert r.fleet_drop == pytest.approx(sum(c.share * c.accuracy_drop for c in r.cohorts))
    assert r.fleet_drop < worst.accuracy_drop / 3
    assert by_name["firmware A"].band == "stable"
    assert worst.band in ("moderate", "significant")


def test_fleet_shares_must_add_up():
    with pytest.raises(InputError, match="shares"):
        skew.fleet_skew({"a": (0.5, 1.0, 0.0)})


def test_drift_erodes_accuracy_as_psi_grows():
    points = skew.simulate_drift((0, 10, 20, 30))
    psis = [p.psi for p in points]
    accs = [p.accuracy for p in points]
    assert psis == sorted(psis)
    assert accs == sorted(accs, reverse=True)
    assert points[0].band == "stable" and points[-1].band == "significant"
