"""Tests for mlsys_lab.science.screening."""

import numpy as np
import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import screening as sc
from mlsys_lab.units import Q_


def test_rates_from_counts():
    assert sc.sensitivity(90, 10) == 0.9
    assert sc.specificity(80, 20) == 0.8
    s = sc.confusion_summary(tp=45, fp=45, tn=855, fn=5)
    assert s.ppv == pytest.approx(0.5)
    assert s.prevalence == pytest.approx(50 / 950)
    with pytest.raises(InputError, match="^tp:"):
        sc.sensitivity(0, 0)


def test_ppv_npv():
    assert sc.ppv(0.95, 0.95, 0.05) == pytest.approx(0.5)
    assert sc.npv(0.95, 0.95, 0.05) == pytest.approx(0.99724, abs=1e-5)
    assert sc.ppv(0.95, 0.95, Q_(50, "percent")) == pytest.approx(0.95)


def test_ppv_monotone_in_prevalence():
    p = np.linspace(0.01, 0.99, 50)
    curve = sc.ppv_curve(0.95, 0.95, p)
    assert np.all(np.diff(curve) > 0)
    assert curve[0] == pytest.approx(sc.ppv(0.95, 0.95, 0.01))


def test_expected_counts():
    c = sc.expected_counts(1000, 0.95, 0.95, 0.05)
    assert c.true_positives == pytest.approx(47.5)
    assert c.false_positives == pytest.approx(47.5)
    assert c.referrals == pytest.approx(95)
    assert c.ppv == pytest.approx(0.5)


def test_targets():
    assert sc.meets_targets(0.975, 0.934)
    assert not sc.meets_targets(0.78, 0.934)
    assert not sc.meets_targets(0.90, 0.85)  # "more than 90%" is strict
