"""Tests for mlsys_lab.science.iteration."""

import numpy as np
import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.facts import constants as C
from mlsys_lab.science import iteration as it
from mlsys_lab.units import Q_


def test_experiments_in_window():
    assert it.experiments_in_window(26, 1) == 4368
    assert it.experiments_in_window(Q_(26, "week"), Q_(1, "week")) == 26
    assert it.experiments_in_window(Q_(26, "week"), Q_(30, "minute")) == 8736
    assert it.experiments_in_window(1, Q_(2, "week")) == 0


def test_accuracy_after():
    assert it.accuracy_after(0.95, 0.0015, 26) == pytest.approx(0.989)
    assert it.accuracy_after(0.90, 0.001, 100) == pytest.approx(1.0)
    assert it.accuracy_after(0.90, 0.001, 100, ceiling=0.99) == pytest.approx(0.99)
    assert it.accuracy_after(0.90, 0.01, 1000) == 1.0  # never above 100%


def test_accuracy_after_monotone():
    values = [it.accuracy_after(0.9, 0.001, k, ceiling=0.99) for k in range(0, 200, 10)]
    assert values == sorted(values)


def test_iterations_to_reach():
    assert it.iterations_to_reach(0.90, 0.001, 0.99) == 90
    assert it.iterations_to_reach(0.95, 0.0015, 0.90) == 0
    with pytest.raises(InputError, match="gain_per_iteration"):
        it.iterations_to_reach(0.9, 0.0, 0.95)


def test_trajectory_matches_napkin_math():
    large = it.accuracy_trajectory(0.95, 0.0015, Q_(1, "week"), points=27)
    assert large.accuracy[-1] == pytest.approx(0.989)
    assert large.iterations[-1] == 26
    small = it.accuracy_trajectory(0.90, 0.001, Q_(1, "hour"), effective_iterations=100, ceiling=0.99)
    assert small.accuracy[-1] == pytest.approx(0.99)
    assert np.all(np.diff(small.accuracy) >= 0)
    assert small.time.to("week").magnitude[-1] == pytest.approx(26)


def test_trajectory_rejects_impossible_effective_iterations():
    with pytest.raises(InputError, match="effective_iterations"):
        it.accuracy_trajectory(0.9, 0.001, Q_(1, "week"), effective_iterations=100)


def test_gain_must_be_fraction():
    with pytest.raises(InputError, match="gain_per_iteration"):
        it.accuracy_after(0.9, 15, 2)
    with pytest.raises(InputError, match="ceiling"):
        it.accuracy_after(0.95, 0.001, 2, ceiling=0.9)


def test_time_to_target_reproduces_napkin_math_1_1_large_model():
    # 26 one-week experiments take the large model from 95% to 98.9%.
    t = it.time_to_target(C.LARGE_START_ACCURACY, C.LARGE_GAIN_PER_ITERATION, 0.989, C.LARGE_EXPERIMENT_DURATION)
    assert t.to("week").magnitude == pytest.approx(26)


def test_time_to_target_plain_hours_and_already_there():
    assert it.time_to_target(0.88, 0.002, 0.95, 14).magnitude == pytest.approx(35 * 14)
    assert it.time_to_target(0.95, 0.001, 0.90, 3).magnitude == 0


def test_time_to_target_rejects_bad_duration():
    with pytest.raises(InputError, match="experiment_duration"):
        it.time_to_target(0.9, 0.001, 0.95, Q_(2, "MB"))
