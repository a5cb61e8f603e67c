"""The Conclusion notebook's plots and widgets build without a live kernel."""

from matplotlib.figure import Figure

from mlsys_lab.data import skew
from mlsys_lab.facts import lighthouses as lh
from mlsys_lab.viz import architecture as va
from mlsys_lab.viz import invariants as vi
from mlsys_lab.viz import roofline as vr
from mlsys_lab.viz import token_cost as vt


def test_lighthouse_roofline_has_three_roofs_and_every_workload():
    fig = vr.plot_lighthouse_roofline()
    assert isinstance(fig, Figure)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert sum("(FP16)" in s or "(INT8)" in s for s in labels) == 3
    # ResNet-50 twice (two batch sizes) plus the other four Lighthouses
    assert len(labels) == 3 + 2 + 4


def test_token_plot_and_widget():
    fig = vt.plot_token_cost_vs_batch(max_batch=512)
    assert isinstance(fig, Figure)
    memory_line = fig.axes[0].lines[0].get_ydata()
    assert max(memory_line) == min(memory_line)  # weights read once per step, any batch
    assert vt.token_cost_widget(parameters_billion=8, weight_precision="int8") is not None


def test_depthwise_plot_and_widget():
    fig = va.plot_depthwise_savings(kernel_sizes=(3,), max_channels=256)
    curve = fig.axes[0].lines[0].get_ydata()
    assert curve[-1] < 9  # below the K*K ceiling
    assert va.depthwise_widget(kernel_size=5, out_channels=64) is not None


def test_invariant_plots_build():
    scenarios = {"llama": lh.iron_law("llama"), "resnet": lh.iron_law("resnet50", efficiency=0.5)}
    figs = [
        vi.plot_iron_law_terms(scenarios),
        vi.plot_pareto(budget_ms=50),
        vi.plot_amdahl((0.5, 1.0)),
        vi.plot_fleet_cohorts(skew.fleet_skew(n=500)),
        vi.plot_drift((0, 10)),
        vi.plot_skew((0, 5)),
        vi.plot_latency_budget({"a": 10, "b": 20}, 50),
        vi.plot_bias_feedback(cycles=3),
    ]
    assert all(isinstance(f, Figure) for f in figs)


def test_every_notebook_05_figure_has_alt_text():
    import mlsys_lab as ml

    scenarios = {"llama": lh.iron_law("llama")}
    figs = [
        vr.plot_lighthouse_roofline(),
        vt.plot_token_cost_vs_batch(max_batch=512),
        va.plot_depthwise_savings(kernel_sizes=(3,), max_channels=256),
        vi.plot_iron_law_terms(scenarios),
        vi.plot_pareto(budget_ms=50),
        vi.plot_amdahl((0.5,)),
        vi.plot_fleet_cohorts(skew.fleet_skew(n=500)),
        vi.plot_drift((0, 10)),
        vi.plot_skew((0, 5)),
        vi.plot_latency_budget({"a": 10, "b": 20}, 50),
        vi.plot_bias_feedback(cycles=3),
    ]
    for fig in figs:
        text = ml.viz.describe(fig)
        assert text and len(text.split()) >= 15, fig
    # the roofline's alt text carries the placements it draws, not typed numbers
    roof = ml.viz.describe(figs[0])
    assert f"{lh.intensity('resnet50', 128).to('FLOP/byte').magnitude:,.3g} FLOP/byte" in roof
    assert "ridge" in roof and "DLRM" in roof
    assert "within budget" in ml.viz.describe(figs[9])
