"""Synthetic subgroup cohort and confidence scores (ML Workflow, §Evaluation and Validation)."""

import numpy as np
import pytest

from mlsys_lab.data import subgroups as sg
from mlsys_lab.errors import InputError
from mlsys_lab.science import evaluation as ev


def test_cohort_hits_requested_rates_and_is_reproducible():
    a = sg.synthetic_cohort(seed=3)
    b = sg.synthetic_cohort(seed=3)
    assert np.array_equal(a.y_pred, b.y_pred) and np.array_equal(a.groups, b.groups)
    table = sg.stratified_table(a)
    assert table["cataract"].sensitivity == pytest.approx(0.76)
    assert table["clear lens"].sensitivity == pytest.approx(0.96)
    assert len(a.y_true) == sum(s.size for s in sg.DEFAULT_SUBGROUPS)


def test_aggregate_passes_while_a_subgroup_fails_the_floor():
    table = sg.stratified_table(sg.synthetic_cohort())
    assert table[sg.ALL_PATIENTS].sensitivity > 0.90
    assert table["cataract"].sensitivity < 0.80
    gap = ev.max_subgroup_gap({g: s.sensitivity for g, s in table.items() if g != sg.ALL_PATIENTS})
    assert gap == pytest.approx(0.20)


def test_cohort_accepts_tuples_and_rejects_nonsense():
    cohort = sg.synthetic_cohort([("a", 100, 0.5, 0.9, 0.8), ("b", 50, 0.2, 0.5, 0.5)])
    assert set(cohort.groups) == {"a", "b"}
    with pytest.raises(InputError):
        sg.synthetic_cohort([("a", 100, 1.5, 0.9, 0.8)])
    with pytest.raises(InputError):
        sg.synthetic_cohort([("a", 10, 0.0, 0.9, 0.8)])
    with pytest.raises(InputError):
        sg.synthetic_cohort([("a", 10, 0.5, 0.9, 0.8), ("a", 10, 0.5, 0.9, 0.8)])


def test_confidences_calibrated_at_temperature_one_and_overconfident_above():
    conf, ok = sg.synthetic_confidences(n=20000, temperature=1.0, seed=1)
    assert ev.expected_calibration_error(conf, ok) < 0.02
    conf, ok = sg.synthetic_confidences(n=20000, temperature=2.0, seed=1)
    assert ok.mean() < conf.mean() - 0.05
    with pytest.raises(InputError):
        sg.synthetic_confidences(temperature=0)
    with pytest.raises(InputError):
        sg.synthetic_confidences(low=0.9, high=0.6)
