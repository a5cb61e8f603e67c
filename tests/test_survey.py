"""Tests for mlsys_lab.science.survey."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import survey as sv


def test_data_share():
    assert sv.data_work_share(0.60, 0.19) == pytest.approx(0.79)
    assert sv.data_work_share([0.6, 0.19, 0.16]) == pytest.approx(0.95)
    with pytest.raises(InputError, match="^shares:"):
        sv.data_work_share(0.7, 0.5)
