"""mlsys_lab.science.locality: what an access costs at each memory tier."""

import pytest

from mlsys_lab.facts import constants as C
from mlsys_lab.science.locality import locality_penalty, memory_tier_penalties
from mlsys_lab.units import Q_


def test_one_access_in_l1_hits():
    assert locality_penalty(Q_(150, "ms")) == pytest.approx(1.5e8)


def test_tier_table_reproduces_the_chapter_ranges():
    # ML Workflow, locality footnote: DRAM 50-100x, NVMe 10,000-100,000x an L1 hit.
    by_name = {t.tier: t for t in memory_tier_penalties()}
    assert (by_name["DRAM"].penalty_low, by_name["DRAM"].penalty_high) == (50, 100)
    assert (by_name["NVMe SSD"].penalty_low, by_name["NVMe SSD"].penalty_high) == (10_000, 100_000)
    assert by_name["DRAM"].latency_low == C.DRAM_LATENCY_LOW


def test_describe():
    (dram,) = [t for t in memory_tier_penalties() if t.tier == "DRAM"]
    assert dram.describe() == "DRAM: 50 ns to 100 ns, 50x to 100x an L1 hit"
    assert memory_tier_penalties()[0].describe() == "L1 cache: 1 ns, 1x an L1 hit"


def test_tier_table():
    tiers = memory_tier_penalties()
    assert [t.tier for t in tiers] == ["L1 cache", "DRAM", "NVMe SSD"]
    assert tiers[0].penalty_low == tiers[0].penalty_high == 1
    with_object = memory_tier_penalties(include_object_storage=True)
    assert with_object[-1].tier == "Object storage"
    assert with_object[-1].penalty_low == pytest.approx(1e8)
    # penalties grow tier by tier
    highs = [t.penalty_high for t in with_object]
    assert highs == sorted(highs)
