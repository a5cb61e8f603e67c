"""Tests for mlsys_lab.science.feedback."""

import numpy as np
import pytest

from mlsys_lab.science import feedback as fb


def test_growth():
    assert fb.bias_gap(1.0, 1.5, 4) == pytest.approx(5.0625)
    assert fb.bias_gap(2.0, 1.0, 10) == 2.0
    traj = fb.bias_trajectory(1.0, 1.2, 5)
    assert len(traj) == 6 and np.all(np.diff(traj) > 0)


def test_cycles_to_threshold():
    assert fb.cycles_to_threshold(1.0, 1.5, 5.0) == 4
    assert fb.bias_gap(1.0, 1.5, 3) < 5.0 <= fb.bias_gap(1.0, 1.5, 4)
    assert fb.cycles_to_threshold(2.0, 1.5, 1.0) == 0
    assert fb.cycles_to_threshold(1.0, 0.9, 5.0) is None
    assert fb.cycles_to_threshold(0.0, 2.0, 5.0) is None
