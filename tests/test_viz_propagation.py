"""The constraint-propagation plot and widget build without a live kernel."""

import pytest
from matplotlib.figure import Figure

from mlsys_lab.errors import InputError
from mlsys_lab.viz import propagation as vp


def test_plot_builds_with_and_without_highlights():
    assert isinstance(vp.plot_cost_multiplier(), Figure)
    fig = vp.plot_cost_multiplier(discovered_at="monitoring", earlier=2, log_scale=False)
    bars = fig.axes[0].patches
    assert [round(b.get_height()) for b in bars] == [1, 2, 4, 8, 16, 32]


def test_plot_rejects_unknown_stage():
    with pytest.raises(InputError):
        vp.plot_cost_multiplier(discovered_at=9)


def test_widget_builds_once():
    assert vp.late_discovery_widget(base_effort_days=1.0, discovered_at=3) is not None
