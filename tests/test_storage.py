"""Tests for mlsys_lab.science.storage."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import storage as st
from mlsys_lab.units import Q_


def test_tier_ratio():
    assert st.tier_price_ratio() == pytest.approx(4.3478, abs=1e-4)
    assert st.tier_price_ratio("nvme", "object") == st.tier_price_ratio()
    assert st.tier_price_ratio("warm", "hot") == pytest.approx(1 / 4.3478, rel=1e-4)


def test_storage_cost_scales_linearly():
    one = st.storage_cost(Q_(1, "TB"), "hot")
    assert one.to("USD").magnitude == pytest.approx(100)
    assert st.storage_cost(Q_(2, "TB"), "hot", months=12).magnitude == pytest.approx(2400)
    assert st.storage_cost(1000, Q_(0.05, "USD/GB/month")).magnitude == pytest.approx(50)


def test_unknown_tier():
    with pytest.raises(InputError, match="^tier:"):
        st.tier_price("glacier")
