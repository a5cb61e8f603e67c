"""The figure ledger: every chapter figure is reproduced by the calculators.

The rows are data (mlsys_lab/course/ledger_figures/*.toml, grouped by chapter section); the
engine evaluates them and stops, naming the file and the row, at a row it cannot evaluate.
"""

import json
import math
import os
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from mlsys_lab.course import ledger
from mlsys_lab.course.ledger_figures import engine

FIGURES = ledger.figures()
FIELDS = ["id", "chapter", "section", "description", "computed", "unit", "printed", "tolerance", "printed_by"]


@pytest.mark.parametrize("fig", FIGURES, ids=[f.id for f in FIGURES])
def test_figure_reproduced(fig):
    assert math.isfinite(fig.computed), f"{fig.id}: computed value is not finite"
    assert abs(fig.computed - fig.printed) <= fig.tolerance * abs(fig.printed), (
        f"{fig.id}: computed {fig.computed!r} vs printed {fig.printed!r} (tolerance {fig.tolerance:g})"
    )


def test_ids_unique_and_well_formed():
    ids = [f.id for f in FIGURES]
    assert len(ids) == len(set(ids))
    for f in FIGURES:
        assert f.id.replace("_", "").isalnum() and f.id == f.id.lower()
        prefix = {"ml_workflow": "wf_", "conclusion": "cc_"}[f.chapter]
        assert f.id.startswith(prefix), f.id


def test_row_set_is_complete():
    # 42 ML Workflow figures and 26 Conclusion figures (the 68 the one-function ledger listed)
    per_chapter = {c: sum(f.chapter == c for f in FIGURES) for c in ("ml_workflow", "conclusion")}
    assert per_chapter == {"ml_workflow": 42, "conclusion": 26}
    assert [f.chapter for f in FIGURES] == sorted((f.chapter for f in FIGURES), key=["ml_workflow", "conclusion"].index)


def test_fields_valid():
    assert len(FIGURES) == 68
    for f in FIGURES:
        assert f.chapter in {"ml_workflow", "conclusion"}
        assert f.section.startswith("§") and f.description and f.unit
        assert 0 < f.tolerance <= 0.05, f.id
        assert isinstance(f.computed, float) and isinstance(f.printed, float)


def test_both_chapters_covered():
    chapters = {f.chapter for f in FIGURES}
    assert chapters == {"ml_workflow", "conclusion"}
    required = {
        "wf_clinic_daily_volume",
        "wf_edge_payback",
        "wf_propagation_stage2_to_6",
        "cc_token_ratio",
        "cc_fleet_mtbf",
        "cc_npu_power_gap",
        "cc_amdahl_speedup",
    }
    assert required <= {f.id for f in FIGURES}


def test_course_examples_are_labelled():
    # the three rows whose value the chapters never print carry the course-example label
    examples = {f.id for f in FIGURES if f.printed_by == ledger.COURSE_EXAMPLE}
    assert examples == {"wf_latency_with_cache", "cc_bias_feedback_example", "cc_composed_request_latency"}
    assert {f.printed_by for f in FIGURES} == {ledger.CHAPTER, ledger.COURSE_EXAMPLE}
    assert "* course example" in ledger.table()


def test_composed_latency_matches_notebook_06():
    fig = next(f for f in FIGURES if f.id == "cc_composed_request_latency")
    assert fig.printed == 1_130 and "180" in fig.description and "250" in fig.description


def test_payback_description_explains_the_rounding():
    fig = next(f for f in FIGURES if f.id == "wf_edge_payback")
    assert fig.computed == pytest.approx(2.448, abs=1e-3)
    assert "2.448" in fig.description and "rounded" in fig.description


def test_figures_attribute_is_lazy_and_cached():
    assert ledger.FIGURES is ledger.figures()


def test_table_lists_every_figure():
    text = ledger.table()
    for f in FIGURES:
        assert f.id in text


def test_json_cli():
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run(
        [sys.executable, "-m", "mlsys_lab.course.ledger", "--json"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == len(FIGURES) >= 40
    for row in data:
        assert list(row) == FIELDS
        assert isinstance(row["computed"], float) and isinstance(row["printed"], float)


def test_check_mode_passes(capsys):
    assert ledger.main(["--check"]) == 0
    out = capsys.readouterr().out
    assert f"{len(FIGURES)} figures, {len(FIGURES)} within tolerance" in out


# ------------------------------------------------------------------ the data files and the engine
DATA = Path(ledger.__file__).with_name("ledger_figures")


def test_every_data_file_is_read_and_shipped():
    on_disk = sorted(p.name for p in DATA.glob("*.toml"))
    assert on_disk == sorted(engine.DATA_FILES), "a ledger file that is not in engine.DATA_FILES would be ignored"
    root = Path(__file__).resolve().parent.parent
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["mlsys_lab"]
    for name in on_disk:
        assert any(fnmatch(f"course/ledger_figures/{name}", g) for g in globs), f"{name} is not in the wheel"


def test_rows_are_grouped_by_section_and_keep_the_chapter_order():
    for source, text in engine.data_files():
        data = tomllib.loads(text)
        titles = [s["title"] for s in data["section"]]
        assert len(titles) == len(set(titles)), f"{source}: a section appears twice"
        assert all(s["figure"] for s in data["section"]), f"{source}: an empty section"
    sections = [f.section for f in FIGURES]
    runs = [s for i, s in enumerate(sections) if i == 0 or sections[i - 1] != s]
    assert len(runs) == len(set(runs)), "one section's figures are split across the ledger"


ROW = """
chapter = "ml_workflow"

[[section]]
title = "§Test section"

[[section.figure]]
id = "wf_test_row"
description = "a test row"
unit = "x"
printed = 16
{body}
"""


def _evaluate(body):
    return ledger.figures_from_toml(ROW.format(body=body), "ledger_figures/test.toml")


def test_a_valid_row_evaluates():
    (fig,) = _evaluate('call = "science.propagation.cost_multiplier"\nargs = [5]')
    assert (fig.id, fig.section, fig.computed, fig.tolerance) == ("wf_test_row", "§Test section", 16.0, ledger.EXACT)


@pytest.mark.parametrize(
    "body, says",
    [
        ('call = "science.propagation.no_such_calculator"\nargs = [5]', "unknown calculator"),
        (
            'call = "science.no_such_module.cost_multiplier"\nargs = [5]',
            "there is no module mlsys_lab.science.no_such_module",
        ),
        (
            'call = "science.iteration.experiments_in_window"\nargs = ["C.ITERATION_WINDOW", "C.NO_SUCH_CONSTANT"]',
            "unknown constant 'C.NO_SUCH_CONSTANT'",
        ),
        (
            'call = "science.iteration.experiments_in_window"\nargs = ["C.ITERATION_WINDW", 1]',
            "did you mean 'C.ITERATION_WINDOW'",
        ),
        ('call = "os.system"\nargs = ["true"]', "not a dotted path under mlsys_lab.science or mlsys_lab.facts"),
        ('call = "science.propagation.__builtins__"', "not a dotted path"),
        ('call = "science.amdahl.math.exp"\nargs = [1]', "leaves mlsys_lab through the imported module 'math'"),
        ('call = "science.latency.Q_"\nargs = [1, "ms"]', "is not defined in mlsys_lab"),
        (
            'call = "science.propagation.cost_multiplier"\nargs = [{ ref = "facts.hardware.NO_DEVICE" }]',
            "unknown object",
        ),
        ('call = "science.propagation.cost_multiplier"\nargs = [5]\ntolerence = 0.1', "did you mean 'tolerance'"),
        (
            'call = "science.propagation.cost_multiplier"\nargs = [5]\nattr = "no_such_field"',
            "has no attribute 'no_such_field'",
        ),
        ('call = "science.propagation.cost_multiplier"\nargs = [-3]', "cost_multiplier raised InputError"),
        ('call = "science.propagation.cost_multiplier"\nargs = [5]\nprinted_by = "me"', "printed_by must be"),
        (
            'call = "science.latency.serial_latency"\nargs = [15, 40]\nto = "GB"',
            "reading the figure off the result failed",
        ),
        (
            'call = "science.contracts.late_discovery_cost"\nargs = [6, 1, { quantity = [1, "blargs"] }]',
            "quantity [1, 'blargs']",
        ),
    ],
)
def test_a_bad_row_stops_naming_the_file_and_the_row(body, says):
    with pytest.raises(ledger.LedgerRowError) as caught:
        _evaluate(body)
    message = str(caught.value)
    assert message.startswith("ledger_figures/test.toml, row wf_test_row (section '§Test section'): "), message
    assert says in message, message


def test_a_row_without_a_call_is_refused():
    with pytest.raises(ledger.LedgerRowError, match=r"test.toml, row wf_test_row .*missing call"):
        _evaluate("")
