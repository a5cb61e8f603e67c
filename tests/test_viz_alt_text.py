"""Every figure the course draws carries its own alt text, and the token-cost sliders start on
their chapter defaults.

A figure's alt text (``mlsys_lab.viz.alt_text``) is what a screen reader reads on the site and
in Jupyter. Without it the notebook display hook falls back to a summary read off the axes
(title, axis labels, legend), which says nothing about what the chart shows. The tests find
every figure function by the package's convention (a public ``plot_*`` function, annotated
``-> Figure``), so a new plot without alt text fails here without anyone listing it.
"""

from __future__ import annotations

import importlib
import inspect
import math
from itertools import combinations

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

import mlsys_lab.viz as viz
from mlsys_lab.course.notebook import _chart_summary
from mlsys_lab.data import subgroups as sg
from mlsys_lab.data import telemetry as tm
from mlsys_lab.facts import constants as C
from mlsys_lab.facts import hardware, lighthouses
from mlsys_lab.science import economics, propagation, reliability, screening
from mlsys_lab.science import monitoring as mon
from mlsys_lab.science import token_cost as tc


def _public_functions(module):
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if not name.startswith("_") and function.__module__ == module.__name__:
            yield name, function


def _draws_a_figure(name: str, function) -> bool:
    return name.startswith("plot_") or function.__annotations__.get("return") in ("Figure", Figure)


def _modules():
    return [importlib.import_module(f"mlsys_lab.viz.{name}") for name in sorted(viz._submodules())]


FIGURE_FUNCTIONS = {
    f"{module.__name__.rsplit('.', 1)[1]}.{name}": function
    for module in _modules()
    for name, function in _public_functions(module)
    if _draws_a_figure(name, function)
}

WIDGETS = {
    f"{module.__name__.rsplit('.', 1)[1]}.{name}": function
    for module in _modules()
    for name, function in _public_functions(module)
    if name.endswith("_widget")
}


def _week():
    week = tm.simulate_clinic_week(seed=7)
    return week, mon.evaluate_series(week.days, week.baselines)


def _iron_law_scenarios():
    return {"llama": lighthouses.iron_law("llama"), "resnet": lighthouses.iron_law("resnet50", efficiency=0.5)}


# Inputs for the figure functions that have no default for some argument: the data a
# notebook passes them (the same synthetic samples the chapter notebooks draw).
REQUIRED_INPUTS = {
    "calibration.plot_reliability": lambda: {
        "models": {
            "over-confident model": sg.synthetic_confidences(temperature=2.0, seed=5),
            "calibrated model": sg.synthetic_confidences(temperature=1.0, seed=5),
        }
    },
    "drift.plot_drift": lambda: dict(zip(("before", "after"), tm.camera_samples(seed=11))),
    "drift.plot_psi_by_day": lambda: {"psi_values": [day["psi"] for day in _week()[0].days]},
    "invariants.plot_iron_law_terms": lambda: {"scenarios": _iron_law_scenarios()},
    "invariants.plot_latency_budget": lambda: {"stages": {"a": 10, "b": 20}, "budget": 50},
    "latency.plot_iron_law_terms": lambda: {"results": _iron_law_scenarios()},
    "monitoring.plot_week": lambda: {"days": _week()[0].days, "baselines": _week()[0].baselines},
    "monitoring.plot_alert_timeline": lambda: {"alerts": _week()[1]},
}


def _needs_input(function) -> bool:
    return any(
        p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        for p in inspect.signature(function).parameters.values()
    )


def _draw(key: str) -> Figure:
    inputs = REQUIRED_INPUTS[key]() if key in REQUIRED_INPUTS else {}
    return FIGURE_FUNCTIONS[key](**inputs)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_discovery_finds_the_figure_functions():
    # the thirteen modules this file was written for, and the ones that already had alt text
    for key in (
        "calibration.plot_reliability",
        "deployment.plot_device_spectrum",
        "drift.plot_drift",
        "economics.plot_cumulative_costs",
        "emergence.plot_network_subgroup",
        "iteration.plot_iteration_tax",
        "latency.plot_composed_request",
        "locality.plot_locality_penalties",
        "monitoring.plot_week",
        "propagation.plot_cost_multiplier",
        "reliability.plot_fleet_mtbf",
        "screening.plot_ppv_vs_prevalence",
        "roofline.plot_lighthouse_roofline",
    ):
        assert key in FIGURE_FUNCTIONS
    assert "contracts.contracts_table" not in FIGURE_FUNCTIONS  # HTML tables are not figures


def test_every_figure_function_can_be_called_here():
    missing = [key for key, f in FIGURE_FUNCTIONS.items() if _needs_input(f) and key not in REQUIRED_INPUTS]
    assert not missing, f"add sample inputs to REQUIRED_INPUTS for {missing}"
    assert set(REQUIRED_INPUTS) <= set(FIGURE_FUNCTIONS), "REQUIRED_INPUTS names a function that no longer exists"


@pytest.mark.parametrize("key", sorted(FIGURE_FUNCTIONS))
def test_figure_has_its_own_alt_text(key):
    fig = _draw(key)
    assert isinstance(fig, Figure)
    text = viz.describe(fig)
    assert isinstance(text, str) and text.strip(), f"{key} draws a figure without alt text"
    assert text != _chart_summary(fig), f"{key}: alt text is only the generic fallback"
    assert len(text.split()) >= 15, f"{key}: alt text too short to say what the figure shows: {text!r}"


def test_alt_texts_differ_between_functions():
    texts = {key: viz.describe(_draw(key)) for key in FIGURE_FUNCTIONS}
    same = [(a, b) for a, b in combinations(sorted(texts), 2) if texts[a] == texts[b]]
    assert not same


# The alt text reports what the calculators computed, not numbers typed into the plot.
def test_economics_alt_text_names_the_payback():
    payback = economics.compare_deployments().payback.to("year").magnitude
    assert f"{payback:.2f} years" in viz.describe(_draw("economics.plot_cumulative_costs"))


def test_reliability_alt_text_names_the_marked_fleet():
    fleet = round(C.FLEET_GPUS.m_as("dimensionless"))
    mtbf = reliability.fleet_mtbf(C.GPU_MTTF, fleet).to("hour").magnitude
    assert f"{fleet:,} devices see a failure every {mtbf:.3g} hours" in viz.describe(
        _draw("reliability.plot_fleet_mtbf")
    )


def test_propagation_alt_text_follows_the_highlight():
    plain = viz.describe(viz.propagation.plot_cost_multiplier())
    assert "32x" in plain and "Highlighted" not in plain
    marked = viz.propagation.plot_cost_multiplier(discovered_at=6, earlier=2)
    assert f"costs {propagation.stage_ratio(2, 6)} times as much" in viz.describe(marked)


def test_screening_alt_text_reads_the_marked_prevalence():
    fig = viz.screening.plot_ppv_vs_prevalence(mark_prevalence=C.PPV_EXAMPLE_PREVALENCE)
    prevalence = C.PPV_EXAMPLE_PREVALENCE.m_as("dimensionless")
    ppv = screening.ppv(C.DR_PUBLISHED_SENSITIVITY, C.DR_PUBLISHED_SPECIFICITY, prevalence)
    assert f"published DR model: {ppv:.1%}" in viz.describe(fig)


def test_composed_request_alt_text_gives_the_budget_verdict():
    over = viz.describe(viz.latency.plot_composed_request(budget=1000))
    assert "overruns it by 130 ms" in over  # 40 + 120 + max(180, 250) + 600 + 90 + 30 = 1130 ms
    assert "inside it" in viz.describe(viz.latency.plot_composed_request(budget=1500))


def test_monitoring_alt_text_names_who_spoke_first():
    _, alerts = _week()
    first = min(a.day for a in alerts)
    text = viz.describe(viz.monitoring.plot_alert_timeline(alerts, days=7))
    assert f"on day {first}." in text
    assert viz.describe(viz.monitoring.plot_alert_timeline([], days=7)).endswith("Every family stayed quiet.")


# Widgets that redraw a figure in their output area pass it through IPython's display().
@pytest.fixture
def displayed(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    return shown


# the widgets that redraw a plot below their sliders
REDRAWING_WIDGETS = {
    "economics.deployment_economics_widget",
    "emergence.network_size_widget",
    "latency.composed_request_widget",
    "propagation.late_discovery_widget",
}


def _image_alts(displayed) -> list[str]:
    """The alt text of each image a widget put in its output area: an output area (and the
    site's snapshot of it) ignores image metadata, so a figure goes out as an <img alt=...>."""
    import html

    from IPython.display import HTML

    assert not [obj for obj in displayed if isinstance(obj, Figure)], "a bare Figure loses its alt text in a widget"
    alts = []
    for obj in displayed:
        if isinstance(obj, HTML) and obj.data.startswith('<img src="data:image/png;base64,'):
            alts.append(html.unescape(obj.data.split(' alt="', 1)[1][: -len('">')]))
    return alts


@pytest.mark.parametrize("key", sorted(WIDGETS))
def test_widget_figures_carry_alt_text(key, displayed):
    assert WIDGETS[key]() is not None
    alts = _image_alts(displayed)
    if key in REDRAWING_WIDGETS:
        assert alts, f"{key} drew no figure"
    for text in alts:
        assert len(text.split()) >= 8 and not text.startswith("Chart"), f"{key} shows a figure without its own alt text"


def test_a_widget_really_draws_a_described_figure(displayed):
    viz.propagation.late_discovery_widget(discovered_at=4)
    alts = _image_alts(displayed)
    assert len(alts) == 1
    assert "stage 4" in alts[0]


# token_cost_widget: each slider starts exactly on the calculator's default, and that value is
# one of the slider's stops (a log slider's stops are base ** (min + k * step)).
def _on_a_stop(slider) -> bool:
    k = (math.log(slider.value, slider.base) - slider.min) / slider.step
    stop = slider.base ** (slider.min + round(k) * slider.step)
    return abs(k - round(k)) < 1e-6 and math.isclose(stop, slider.value, rel_tol=1e-9)


def _sliders(widget):
    return {w.description: w for w in widget.kwargs_widgets}


def test_token_cost_sliders_start_on_the_calculator_defaults():
    defaults = inspect.signature(tc.decode_token_cost).parameters
    device = hardware.get_device(defaults["device"].default)
    sliders = _sliders(viz.token_cost.token_cost_widget())
    expected = {
        "parameters (billions)": C.LLAMA2_70B_PARAMS.m_as("dimensionless") / 1e9,
        "bandwidth (GB/s)": device.memory_bandwidth.to("GB/s").magnitude,
        "peak (TFLOP/s)": device.peak(defaults["compute_precision"].default).to("TFLOP/s").magnitude,
    }
    for description, value in expected.items():
        assert sliders[description].value == pytest.approx(value, rel=1e-12), description
        assert _on_a_stop(sliders[description]), f"{description}: {value} is not a stop of the slider"
    assert sliders["weight precision"].value == defaults["weight_precision"].default
    assert sliders["batch size"].value == defaults["batch_size"].default


def test_token_cost_sliders_put_any_start_on_a_stop():
    sliders = _sliders(viz.token_cost.token_cost_widget(parameters_billion=8, bandwidth_gb_s=1000, peak_tflop_s=312))
    for description in ("parameters (billions)", "bandwidth (GB/s)", "peak (TFLOP/s)"):
        assert _on_a_stop(sliders[description]), description
    assert sliders["parameters (billions)"].value == 8
