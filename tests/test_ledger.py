"""The figure ledger: every chapter figure is reproduced by the calculators."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlsys_lab import ledger

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


def test_fields_valid():
    assert len(FIGURES) >= 60
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
        [sys.executable, "-m", "mlsys_lab.ledger", "--json"],
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
