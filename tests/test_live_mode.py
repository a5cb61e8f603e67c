"""Live mode, numbers first (issue 22): every calculator on the site answers without numpy, scipy
or matplotlib (which Pyodide fetches from a CDN a reader may not reach), its plot area says why
it is empty, and a live notebook runs on without them.

Each check runs in a fresh interpreter where importing those libraries fails, as in Pyodide
with the CDN refused.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from helpers import ROOT

# every calculator on the site: (module, widget function, a control to move, a value to move it to)
CALCULATORS = [
    ("architecture", "depthwise_widget", "kernel_size", 5),
    ("bandwidth", "clinic_bandwidth_widget", "patients", 200),
    ("economics", "deployment_economics_widget", "clinics", 800),
    ("emergence", "network_size_widget", "n_sites", 120),
    ("iteration", "iteration_tax_widget", "window_weeks", 20),
    ("latency", "composed_request_widget", "generator", 1200),
    ("monitoring", "alert_rules_widget", "psi", 0.3),
    ("propagation", "late_discovery_widget", "discovered_at", 2),
    ("reliability", "fleet_mtbf_widget", "devices", 5000),
    ("token_cost", "token_cost_widget", "batch_size", 8),
]
PLOTTING = {"economics", "emergence", "latency", "propagation"}

WITHOUT_PLOT_LIBRARIES = """
import importlib.abc, sys
class _Refused(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("numpy", "scipy", "matplotlib", "pandas"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, _Refused())
"""


def _run(code: str) -> subprocess.CompletedProcess:
    program = WITHOUT_PLOT_LIBRARIES + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_every_site_calculator_is_listed():
    """A new widget on a chapter page must join the list (and so the checks below)."""
    import re

    called = set()
    for master in (ROOT / "solutions").glob("[0-9][0-9]_*.md"):
        called |= set(re.findall(r"ml\.viz\.(\w+)\.(\w+_widget)\(", master.read_text()))
    assert called == {(module, function) for module, function, _, _ in CALCULATORS}


def test_numbers_respond_without_numpy_scipy_or_matplotlib():
    result = _run(
        f"""
        import contextlib, io, json
        import mlsys_lab as ml
        report = {{}}
        for module, function, control, value in {CALCULATORS!r}:
            widget = getattr(getattr(ml.viz, module), function)
            with contextlib.redirect_stdout(io.StringIO()):
                w = widget()
            outputs = []
            for kwargs in (dict(w.kwargs), {{**w.kwargs, control: value}}):
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    w.f(**kwargs)
                outputs.append(out.getvalue())
            report[module] = outputs
        print(json.dumps(report))
        """
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    for module, _, control, value in CALCULATORS:
        before, after = report[module]
        assert before.strip() and before != after, f"{module}: moving {control} to {value} changed nothing"
        assert "Traceback" not in before + after
        if module in PLOTTING:
            assert "No plot here: it needs" in after, f"{module}: the plot area does not say why it is empty"
        assert "numpy" not in before.split("No plot here")[0], f"{module}: a number needs numpy"


def test_every_control_starts_at_its_default_and_moves_the_numbers():
    """Every control of every calculator (not only the one above), without the plot libraries:
    it shows the calculator's default (a slider clamps a default beyond its range: the network
    seed 52 once showed as 50), and one of its ends (a dropdown: one of its options) changes the
    printed numbers, so a reader who moves it sees an answer even where no plot draws."""
    result = _run(
        f"""
        import contextlib, inspect, io, json
        import mlsys_lab as ml

        def printed(w, kwargs):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                w.f(**kwargs)
            return out.getvalue()

        def ends(c):
            if hasattr(c, "_options_values"):
                return list(c._options_values)
            if hasattr(c, "base"):
                return [c.base ** c.min, c.base ** c.max]
            if isinstance(c.value, bool):
                return [not c.value]
            return [c.min, c.max]

        report = []
        for module, function, _, _ in {CALCULATORS!r}:
            make = getattr(getattr(ml.viz, module), function)
            defaults = {{k: p.default for k, p in inspect.signature(make).parameters.items()}}
            with contextlib.redirect_stdout(io.StringIO()):
                w = make()
            first = printed(w, dict(w.kwargs))
            for c in w.kwargs_widgets:
                moved = [printed(w, {{**w.kwargs, c._kwarg: v}}) != first for v in ends(c)]
                report.append([module, c.description, defaults.get(c._kwarg), c.value, any(moved)])
        print(json.dumps(report))
        """
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert len(report) >= 2 * len(CALCULATORS)
    for module, label, default, shown, moves in report:
        if isinstance(default, float):
            assert shown == pytest.approx(default, rel=1e-9), f"{module}: {label} shows {shown}, not {default}"
        elif default is not None:
            assert shown == default, f"{module}: {label} shows {shown}, not {default}"
        assert moves, f"{module}: moving {label!r} to its ends changes no printed number"


def test_a_plot_without_matplotlib_says_why_instead_of_raising():
    result = _run(
        """
        import mlsys_lab as ml
        note = ml.viz.iteration.plot_iteration_tax()
        print(type(note).__name__, repr(note))
        """
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("PlotUnavailable (No plot here: it needs matplotlib")


def test_live_notebook_runs_on_without_plot_libraries():
    """The live setup: a report of what loaded, ``%matplotlib inline`` harmless, ``ml`` defined,
    and a cell that needs numpy prints one sentence instead of a traceback."""
    result = _run(
        """
        import asyncio
        from IPython.core.interactiveshell import InteractiveShell
        from mlsys_lab.course import live_mode
        shell = InteractiveShell.instance()
        status = asyncio.run(live_mode.load_plot_libraries())
        print("STATUS", status)
        live_mode.install_fallbacks(shell)
        for cell in ("%matplotlib inline\\nimport mlsys_lab as ml", "import numpy as np", "print('ml' in globals())"):
            result = shell.run_cell(cell)
        print("ML", "ml" in shell.user_ns)
        """
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "STATUS {'numpy': 'it is not installed in this Python'" in out
    assert "This cell needs numpy, which is not loaded in the live mode" in out
    assert "Traceback" not in out and "ML True" in out


def test_with_the_libraries_nothing_changes():
    """Colab, a laptop, the grader: the plots are Figures and the status says loaded."""
    import asyncio

    from matplotlib.figure import Figure

    import mlsys_lab as ml
    from mlsys_lab.course import live_mode

    assert isinstance(ml.viz.iteration.plot_iteration_tax(), Figure)
    assert asyncio.run(live_mode.load_plot_libraries()) == {lib: "loaded" for lib in live_mode.PLOT_LIBRARIES}


@pytest.mark.parametrize("error", [ImportError("x", name="numpy.linalg"), ModuleNotFoundError("y", name="pint")])
def test_missing_library_names_only_plot_libraries(error):
    from mlsys_lab.course.live_mode import missing_library

    assert missing_library(error) == ("numpy" if error.name.startswith("numpy") else None)


def test_hand_in_in_the_live_mode_says_where_to_hand_in(monkeypatch, capsys):
    """The live notebook's last cell must not fail: otter cannot package a hand-in there."""
    from mlsys_lab.course import notebook

    monkeypatch.setattr(notebook, "in_browser", lambda: True)
    notebook.hand_in(notebook.LiveModeGrader("01_ml_lifecycle"))
    assert "download this notebook" in capsys.readouterr().out
