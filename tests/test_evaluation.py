"""Tests for mlsys_lab.science.evaluation."""

import numpy as np
import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import evaluation as ev


def test_standard_error_and_interval():
    assert ev.standard_error(0.9, 100) == pytest.approx(0.03)
    lo, hi = ev.confidence_interval(0.9, 100)
    assert lo == pytest.approx(0.9 - 1.95996 * 0.03, abs=1e-4) and hi <= 1
    assert ev.standard_error(0.9, 400) == pytest.approx(ev.standard_error(0.9, 100) / 2)


def test_test_set_size():
    n = ev.test_set_size(0.9, 0.01)
    assert n == 3458
    assert ev.standard_error(0.9, n) * ev.z_value() <= 0.01
    assert ev.rule_of_three(300) == pytest.approx(0.01)


def test_calibration():
    rng = np.random.default_rng(0)
    conf = rng.uniform(0, 1, 20000)
    correct = rng.uniform(0, 1, 20000) < conf  # perfectly calibrated by construction
    assert ev.expected_calibration_error(conf, correct) < 0.02
    overconfident = np.clip(conf + 0.2, 0, 1)
    assert ev.expected_calibration_error(overconfident, correct) > 0.1
    bins = ev.calibration_bins([0.05, 0.95, 0.95], [0, 1, 0], bins=10)
    assert bins.counts.sum() == 3 and np.isnan(bins.accuracy[5])


def test_subgroups():
    y = [1, 1, 0, 0, 1, 1, 0, 0]
    p = [1, 1, 0, 0, 1, 0, 0, 1]
    g = ["a", "a", "a", "a", "b", "b", "b", "b"]
    res = ev.subgroup_metrics(y, p, g)
    assert res["a"].sensitivity == 1.0 and res["b"].sensitivity == 0.5
    assert ev.max_subgroup_gap({k: v.sensitivity for k, v in res.items()}) == 0.5
    with pytest.raises(InputError, match="^groups:"):
        ev.subgroup_metrics([1, 1], [1, 0], ["a", "a"])
