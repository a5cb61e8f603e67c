"""mlsys_lab.science.lifecycle: the six stages and the lifecycle's shape."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import lifecycle
from mlsys_lab.science.locality import memory_tier_penalties

# --- the notebook's plots and widget (mlsys_lab.viz.iteration, .locality, .contracts) ---


def test_six_stages_in_order_and_by_name():
    assert len(lifecycle.STAGES) == 6
    assert lifecycle.stage_number("deployment") == 5 and lifecycle.stage_number(2) == 2
    with pytest.raises(InputError, match="stage"):
        lifecycle.stage_number(7)


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
    from mlsys_lab.science import contracts as ct
    from mlsys_lab.viz.contracts import audit_table, contracts_table

    assert contracts_table().data.count("<tr>") == 7
    html = audit_table(ct.audit_handoff(1, ct.EXAMPLE_1_1_HANDOFF)).data
    assert "blocked" in html and html.count("✗") == 3
