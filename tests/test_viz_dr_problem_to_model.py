"""Smoke tests for the plots, widget and table of notebook 02 (mlsys_lab.viz.bandwidth and
mlsys_lab.viz.screening): each builds without a display and draws what its calculator says."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from mlsys_lab.errors import InputError
from mlsys_lab.science import bandwidth as bw
from mlsys_lab.science import screening as sc
from mlsys_lab.viz import bandwidth as vbw
from mlsys_lab.viz import screening as vsc


def test_upload_plot_lines_come_from_the_calculator():
    fig = vbw.plot_upload_hours()
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    raw = ax.get_lines()[0]
    x, y = raw.get_xdata(), raw.get_ydata()
    i = int(np.argmin(abs(np.log(x / 2.0))))
    expected = bw.clinic_bandwidth(uplink=x[i]).upload_hours.to("hour").magnitude
    assert y[i] == pytest.approx(expected)
    assert "Mb/s" in ax.get_xlabel() and "hours" in ax.get_ylabel()


def test_upload_plot_rejects_a_negative_mark():
    with pytest.raises(InputError):
        vbw.plot_upload_hours(mark_uplink=-1)


def test_widget_builds_once():
    import ipywidgets

    widget = vbw.clinic_bandwidth_widget()
    assert isinstance(widget, ipywidgets.Widget)


def test_device_table_lists_the_three_jetsons():
    html = vbw.edge_device_table().data
    assert html.count("<tr>") == 4
    assert "Orin Nano" in html and "7–15 W" in html


def test_ppv_plot_curves_match_ppv():
    fig = vsc.plot_ppv_vs_prevalence(mark_prevalence=0.05)
    line = fig.axes[0].get_lines()[0]
    x, y = line.get_xdata(), line.get_ydata()
    se, sp, _ = vsc.DEFAULT_OPERATING_POINTS[0]
    assert y[50] == pytest.approx(100 * sc.ppv(se, sp, x[50] / 100))
