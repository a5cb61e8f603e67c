"""Only stage 2 speaks to the student, and stage 2 cannot hang (issue 20 items 3 and 5).

One hostile notebook, graded through ``grade`` and through the zip's ``run_autograder``: a cell
writes its own messages to the grader's fd 3 (cell errors whose "names" are sentences, a
``not_plain`` record whose reason is prose, and a quantity whose unit is ``hour**(9**9**9)``,
which hung pint's parser for minutes). The row must come back within seconds, the honest answer
it also forged (q2) must score, q5 must be "not a plain answer" with the grammar's reason, and
none of the forged text may reach the status, the feedback file or Gradescope's results.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_grading import NAME, run_grade

# the tests that grade are marked slow; the zip's contents are read in an instant

FORGED_TEXT = ("FullMarksAwardedSeeInstructor", "raised to 100", "FORGED", "9**9**9")
FORGE_CELL = """\
import json, os
def _send(message):
    os.write(3, (json.dumps(message) + "\\n").encode())
_send({"t": "error", "n": 2, "ename": "FullMarksAwardedSeeInstructor"})
_send({"t": "error", "n": 3, "ename": "Your grade was raised to 100 percent, ignore the score"})
_records = {
    "q1_answer": {"kind": "not_plain", "why": "FORGED: the instructor says you earned full marks"},
    "q2_answer": {"kind": "value", "value": False},
    "q5_answer": {"kind": "quantity", "magnitude": 1, "units": "hour**(9**9**9)"},
}
_send({"t": "answers", "text": json.dumps({"format": "mlsys-lab-answers/1", "answers": _records})})
_send({"t": "done"})
"""


def _forging_notebook(student: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(student, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(FORGE_CELL))
    return nb


def _assert_nothing_forged(text: str) -> None:
    for forged in FORGED_TEXT:
        assert forged not in text, f"{forged!r} reached the student:\n{text}"


@pytest.mark.slow
def test_forged_messages_and_a_unit_bomb_through_grade(fixture_course, tmp_path):
    submissions, out = tmp_path / "subs", tmp_path / "out"
    submissions.mkdir()
    nbformat.write(_forging_notebook(fixture_course.notebooks / f"{NAME}.ipynb"), submissions / "mallory.ipynb")
    run = run_grade(submissions, out, fixture_course.dist / f"{NAME}.zip")
    assert run.returncode == 0, run.stderr[-3000:]
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["file"] == "mallory.ipynb")
    assert row["grading_status"].startswith("Completed"), row
    assert (row["q1"], row["q2"], row["q5"], row["total_points_earned"]) == ("0", "1", "0", "1")
    feedback = (out / "feedback" / "mallory.ipynb.md").read_text(encoding="utf-8")
    assert (
        "q5_answer is not a plain answer: a quantity whose unit has a character the course does not allow" in feedback
    )
    assert "q1_answer is not a plain answer: not a plain answer" in feedback
    assert "cell 2 (an error), cell 3 (an error)" in feedback
    _assert_nothing_forged(feedback)
    _assert_nothing_forged(row["grading_status"])


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["bwrap", "user"])
def test_forged_messages_and_a_unit_bomb_through_the_zips_run_autograder(fixture_course, tmp_path, mode):
    root = tmp_path / "autograder"
    for folder in ("source", "submission", "results"):
        (root / folder).mkdir(parents=True)
    with zipfile.ZipFile(fixture_course.dist / f"{NAME}.zip") as zf:
        zf.extractall(root / "source")
    nbformat.write(_forging_notebook(fixture_course.notebooks / f"{NAME}.ipynb"), root / "submission" / f"{NAME}.ipynb")
    env = dict(
        os.environ, MLSYS_AUTOGRADER_ROOT=str(root), MLSYS_AUTOGRADER_PYTHON=sys.executable, MLSYS_SANDBOX="bwrap"
    )
    proc = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 1, results
    by_name = {t["name"]: t for t in results["tests"]}
    assert "a quantity whose unit has a character the course does not allow" in by_name["q5"]["output"]
    assert by_name["q2"]["score"] == 1
    _assert_nothing_forged(json.dumps(results))


def test_the_zip_ships_every_module_its_grader_imports(fixture_course):
    """On Gradescope only the zip's copy of the grader exists (in these tests the checkout would
    quietly fill a gap): every ``autograder`` module a zipped module imports is in the zip."""
    import ast

    from helpers import ROOT

    with zipfile.ZipFile(fixture_course.dist / f"{NAME}.zip") as zf:
        names = set(zf.namelist())
        sources = {n: zf.read(n).decode() for n in names if n.startswith("autograder/") and n.endswith(".py")}

    def module_file(dotted: str) -> str | None:
        """The checkout's file of a module (None when ``dotted`` is not a module, e.g. a function)."""
        path = dotted.replace(".", "/")
        for candidate in (f"{path}.py", f"{path}/__init__.py"):
            if (ROOT / candidate).is_file():
                return candidate
        return None

    missing = set()
    for member, source in sources.items():
        package = member.rsplit("/", 1)[0].replace("/", ".")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                wanted = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                wanted = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            for dotted in wanted:
                found = module_file(dotted) if dotted.startswith("autograder") else None
                if found and found not in names:
                    missing.add(f"{member} imports {dotted}")
    assert not missing, sorted(missing)
