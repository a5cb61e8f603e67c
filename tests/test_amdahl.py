"""Tests for mlsys_lab.science.amdahl."""

import math

import numpy as np
import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import amdahl as am


def test_chapter_example():
    assert am.amdahl_speedup(0.10, 10) == pytest.approx(1 / 0.91)
    assert am.amdahl_limit(0.10) == pytest.approx(1 / 0.9)


def test_limits_and_edges():
    assert am.amdahl_speedup(0.0, 100) == 1.0
    assert am.amdahl_speedup(1.0, 7) == pytest.approx(7)
    assert math.isinf(am.amdahl_limit(1.0))
    assert am.amdahl_speedup(0.5, 0.5) < 1  # slowing the part slows the whole


def test_monotone_and_bounded():
    s = am.amdahl_curve(0.9, np.logspace(0, 6, 40))
    assert np.all(np.diff(s) > 0)
    assert s[-1] < am.amdahl_limit(0.9)


def test_required_factor_inverts():
    factor = am.required_factor(0.5, 1.5)
    assert am.amdahl_speedup(0.5, factor) == pytest.approx(1.5)
    with pytest.raises(InputError, match="^target:"):
        am.required_factor(0.1, 1.2)
