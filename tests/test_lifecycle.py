"""mlsys_lab.lifecycle: locality penalties and time to an accuracy target."""

import pytest

from mlsys_lab import constants as C
from mlsys_lab.errors import InputError
from mlsys_lab.lifecycle import memory_tier_penalties, time_to_target
from mlsys_lab.units import Q_


def test_tier_table_reproduces_the_chapter_ranges():
    # ML Workflow, locality footnote: DRAM 50-100x, NVMe 10,000-100,000x an L1 hit.
    by_name = {t.tier: t for t in memory_tier_penalties()}
    assert (by_name["DRAM"].penalty_low, by_name["DRAM"].penalty_high) == (50, 100)
    assert (by_name["NVMe SSD"].penalty_low, by_name["NVMe SSD"].penalty_high) == (10_000, 100_000)
    assert by_name["DRAM"].latency_low == C.DRAM_LATENCY_LOW


def test_describe():
    dram, = [t for t in memory_tier_penalties() if t.tier == "DRAM"]
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


def test_time_to_target_reproduces_napkin_math_1_1_large_model():
    # 26 one-week experiments take the large model from 95% to 98.9%.
    t = time_to_target(C.LARGE_START_ACCURACY, C.LARGE_GAIN_PER_ITERATION, 0.989,
                       C.LARGE_EXPERIMENT_DURATION)
    assert t.to("week").magnitude == pytest.approx(26)


def test_time_to_target_plain_hours_and_already_there():
    assert time_to_target(0.88, 0.002, 0.95, 14).magnitude == pytest.approx(35 * 14)
    assert time_to_target(0.95, 0.001, 0.90, 3).magnitude == 0


def test_time_to_target_rejects_bad_duration():
    with pytest.raises(InputError, match="experiment_duration"):
        time_to_target(0.9, 0.001, 0.95, Q_(2, "MB"))


# --- the notebook's plots and widget (mlsys_lab.viz.iteration, .locality, .contracts) ---


def test_iteration_plot_and_widget_build_once():
    from matplotlib.figure import Figure

    from mlsys_lab.viz.iteration import iteration_tax_widget, plot_iteration_tax

    fig = plot_iteration_tax()
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "weeks" in ax.get_xlabel() and "%" in ax.get_ylabel()
    # the large model's curve ends where Napkin Math 1.1 says (98.9 %)
    assert ax.lines[0].get_ydata()[-1] == pytest.approx(98.9)
    widget = iteration_tax_widget()
    assert len(widget.children) == 5  # four sliders and the output


def test_locality_plot_is_log_scale():
    from mlsys_lab.viz.locality import plot_locality_penalties

    ax = plot_locality_penalties().axes[0]
    assert ax.get_yscale() == "log"
    assert len(ax.patches) == 2 * len(memory_tier_penalties(include_object_storage=True))


def test_contract_tables_render():
    from mlsys_lab import contracts as ct
    from mlsys_lab.viz.contracts import audit_table, contracts_table

    assert contracts_table().data.count("<tr>") == 7
    html = audit_table(ct.audit_handoff(1, ct.EXAMPLE_1_1_HANDOFF)).data
    assert "blocked" in html and html.count("✗") == 3
