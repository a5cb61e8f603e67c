"""Tests for mlsys_lab.science.propagation."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import propagation as pp


def test_multipliers():
    assert pp.multiplier_table() == {1: 1, 2: 2, 3: 4, 4: 8, 5: 16, 6: 32}
    assert pp.cost_multiplier("Deployment") == 16
    assert pp.cost_multiplier("monitoring and maintenance") == 32


def test_stage_ratio_exponential_not_linear():
    assert pp.stage_ratio(2, 6) == 16
    assert pp.stage_ratio(3, 3) == 1
    assert pp.stage_ratio(1, 6) == pp.cost_multiplier(6)


@pytest.mark.parametrize("bad", [0, 7, -1, 2.5, True, "testing"])
def test_invalid_stage(bad):
    with pytest.raises(InputError, match="^stage:"):
        pp.cost_multiplier(bad)


def test_later_before_earlier_rejected():
    with pytest.raises(InputError, match="^later:"):
        pp.stage_ratio(5, 2)
