"""Pareto frontier of accuracy vs. latency (Conclusion, principle 5)."""

import numpy as np
import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import pareto


def test_two_model_fallacy_neither_dominates():
    # 95 % at 500 ms against 93 % at 50 ms: both are on the frontier
    assert not pareto.dominates(0.95, 500, 0.93, 50)
    assert not pareto.dominates(0.93, 50, 0.95, 500)
    assert pareto.pareto_front([0.95, 0.93], [500, 50]) == [1, 0]


def test_dominated_point_is_dropped():
    acc = [0.90, 0.92, 0.91, 0.95]
    lat = [10, 20, 30, 100]
    assert pareto.pareto_front(acc, lat) == [0, 1, 3]
    assert pareto.dominates(0.92, 20, 0.91, 30)


def test_synthetic_candidates_are_seeded_and_have_a_front():
    a = pareto.synthetic_candidates(30, seed=3)
    b = pareto.synthetic_candidates(30, seed=3)
    assert np.array_equal(a.accuracy, b.accuracy)
    front = a.front
    assert 2 <= len(front) < 30
    lat = a.latency_ms[front]
    acc = a.accuracy[front]
    assert np.all(np.diff(lat) >= 0) and np.all(np.diff(acc) > 0)


def test_bad_inputs():
    with pytest.raises(InputError, match="latencies"):
        pareto.pareto_front([0.9, 0.8], [1])
    with pytest.raises(InputError, match="accuracies"):
        pareto.pareto_front([90, 80], [1, 2])
    with pytest.raises(InputError, match="accuracy_a"):
        pareto.dominates(1.5, 1, 0.5, 1)
