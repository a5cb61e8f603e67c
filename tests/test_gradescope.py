"""The Gradescope zip's own entry point, run in a root laid out as Gradescope lays it out.

``ROOT/source`` is the unzipped autograder, ``ROOT/submission`` the student's files, and
``ROOT/results/results.json`` what Gradescope reads. ``run_autograder`` is run as the platform
runs it (bash, as root), once with bubblewrap and once in the fallback for containers without
user namespaces (an unprivileged uid that cannot read the tests or the results).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

NAME = "99_fixture"


def run_gradescope(zip_path: Path, notebook: bytes, root: Path, mode: str) -> dict:
    for folder in ("source", "submission", "results"):
        (root / folder).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
    (root / "submission" / f"{NAME}.ipynb").write_bytes(notebook)
    env = dict(os.environ, MLSYS_AUTOGRADER_ROOT=str(root), MLSYS_AUTOGRADER_PYTHON=sys.executable, MLSYS_SANDBOX=mode)
    proc = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((root / "results" / "results.json").read_text())


def test_the_zip_runs_our_grader_not_otters(fixture_course):
    with zipfile.ZipFile(fixture_course.dist / f"{NAME}.zip") as zf:
        names = set(zf.namelist())
        run = zf.read("run_autograder").decode()
        setup = zf.read("setup.sh").decode()
    assert "autograder.grading.gradescope" in run and "run_otter.py" not in run
    assert {"autograder/grading/runner.py", "autograder/grading/score.py", "autograder/conventions.py"} <= names
    assert "bubblewrap" in setup
    assert any(n.startswith("tests/") for n in names)


@pytest.mark.parametrize("mode", ["bwrap", "user"])
@pytest.mark.parametrize("which, score", [("solution", 6.0), ("student", 0.0)])
def test_solution_full_marks_blank_zero(fixture_course, tmp_path, mode, which, score):
    notebook = (
        fixture_course.dist / NAME / f"{NAME}.ipynb"
        if which == "solution"
        else fixture_course.notebooks / f"{NAME}.ipynb"
    )
    results = run_gradescope(fixture_course.dist / f"{NAME}.zip", notebook.read_bytes(), tmp_path / "autograder", mode)
    assert results["score"] == score, results
    assert [t["name"] for t in results["tests"]] == ["q1", "q2", "q3", "q4", "q5"]
    assert sum(t["max_score"] for t in results["tests"]) == 6
    assert results["output"].startswith("Completed"), results["output"]


def test_a_broken_submission_still_gets_results(fixture_course, tmp_path):
    results = run_gradescope(fixture_course.dist / f"{NAME}.zip", b'{"cells": [', tmp_path / "autograder", "bwrap")
    assert results["score"] == 0 and "not a notebook" in results["output"]


def test_the_roster_id_comes_from_gradescope_metadata_not_the_notebook(variants_course, tmp_path):
    """The variants fixture: the solution computes its numbers with the id the grader sets from
    submission_metadata.json; a literal answer for another id's numbers loses them."""
    import nbformat

    from mlsys_lab import variants

    name = "98_variants"
    zip_path = variants_course.dist / f"{name}.zip"
    with zipfile.ZipFile(zip_path) as zf:
        salt = json.loads(zf.read("mlsys_variants.json"))["salt"]
    variants.configure(salt, name, "s0002")
    other = variants.letter("pick", "B")
    variants.configure(salt, name, "s0001")
    mine = variants.letter("pick", "B")
    variants.configure(None, None, None)
    solution = (variants_course.dist / name / f"{name}.ipynb").read_bytes()
    student = nbformat.read(variants_course.notebooks / f"{name}.ipynb", as_version=4)
    student.cells.append(nbformat.v4.new_code_cell(f"pick_answer = {other!r}"))
    scores = {}
    for label, notebook in (("solution", solution), ("other", nbformat.writes(student).encode())):
        root = tmp_path / label / "autograder"
        root.mkdir(parents=True)
        (root / "submission_metadata.json").write_text(json.dumps({"users": [{"sid": "s0001", "email": "a@x.org"}]}))
        for folder in ("source", "submission", "results"):
            (root / folder).mkdir()
        with zipfile.ZipFile(zip_path) as zf:
            zf.extractall(root / "source")
        (root / "submission" / f"{name}.ipynb").write_bytes(notebook)
        env = dict(
            os.environ, MLSYS_AUTOGRADER_ROOT=str(root), MLSYS_AUTOGRADER_PYTHON=sys.executable, MLSYS_SANDBOX="bwrap"
        )
        proc = subprocess.run(
            ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True, timeout=600
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        results = json.loads((root / "results" / "results.json").read_text())
        scores[label] = {t["name"]: t["score"] for t in results["tests"]}
    assert scores["solution"] == {"pick": 1.0, "runs": 2.0}
    assert scores["other"]["pick"] == (1.0 if other == mine else 0.0)
