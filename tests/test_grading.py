"""``python -m autograder grade``: one batch of awkward submissions, graded the way a teacher expects.

Every bad input is one file of a single batch (kernels are the slow part), graded once per test
run by the module fixture ``batch``; the tests then read its CSV, feedback, progress and summary.
Also here: resume from the cache, determinism of two fresh runs, the feedback leak check, and
otter's own ``otter run`` (the Gradescope path) on the same autograder zip.
"""

from __future__ import annotations

import ast
import copy
import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import psutil
import pytest
from conftest import build_once

from autograder.authoring import samples

ISOLATED = "isolated (bwrap: checked user+mnt+pid+net+ipc+uts namespaces, no_new_privs, no network, no host files)"
"""The short form of the probe's record that ends every status graded in bubblewrap (issue 20 item 2)."""

ROOT = Path(__file__).resolve().parent.parent
NAME = "99_fixture"
TIMEOUT = 40  # the infinite loop costs one worker this long; normal fixture runs take ~5 s
QUESTIONS = ["q1", "q2", "q3", "q4", "q5"]

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading-batch")]  # one worker grades, none waits


# -------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="session")
def fixture_assignment(fixture_course):
    """The fixture master's autograder zip, solution and student notebooks, and all its tests."""
    dist = fixture_course.dist
    return SimpleNamespace(
        name=NAME,
        zip=dist / f"{NAME}.zip",
        solution=dist / NAME / f"{NAME}.ipynb",
        student=fixture_course.notebooks / f"{NAME}.ipynb",
        tests=dist / NAME / "tests",
    )


def run_grade(submissions: Path, out: Path, zip_path: Path, *extra: str, env=None) -> subprocess.CompletedProcess:
    command = [
        sys.executable, "-m", "autograder", "grade",
        "--assignment", NAME, "--submissions", str(submissions), "--out", str(out),
        "--autograder", str(zip_path), "--workers", "2", "--timeout", str(TIMEOUT), *extra,
    ]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=900)


def write_batch(folder: Path, solution, student) -> dict[str, str]:
    """Write every case into ``folder``; return {file: what it is}."""
    answers = samples.solution_answers(solution)
    good = samples.fill(student, answers)
    cases: dict[str, str] = {}

    def nb(name, notebook, what):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, path)
        cases[name] = what

    def raw(name, data: bytes, what):
        (folder / name).write_bytes(data)
        cases[name] = what

    nb("solution.ipynb", good, "the solution")
    nb("duplicate.ipynb", good, "same bytes as solution.ipynb")
    nb("blank.ipynb", student, "the released notebook")
    nb("one_wrong.ipynb", samples.fill(student, {**answers, "q1_answer": '"A"'}), "q1 wrong letter")
    nb("always_equal.ipynb", samples.always_equal(student, solution), "__eq__ always True")
    raw("malformed.ipynb", b'{"cells": [ {"cell_type": ', "truncated JSON")
    raw("empty.ipynb", b"", "empty file")
    raw("binary.ipynb", bytes(range(256)) * 4, "not text")
    raw("not_a_notebook.ipynb", b'{"hello": 1}', "JSON, not a notebook")
    other = copy.deepcopy(good)
    other.metadata["otter"]["assignment_name"] = "01_ml_lifecycle"
    nb("other_assignment.ipynb", other, "metadata of another assignment")
    nb(
        "foreign.ipynb",
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]),
        "no metadata, no questions",
    )
    deleted = copy.deepcopy(good)
    del deleted.cells[samples.answer_cells(deleted)["q3_answer"]]
    nb("deleted_cells.ipynb", deleted, "q3's answer cell deleted")
    reordered = copy.deepcopy(good)
    where = samples.answer_cells(reordered)
    i, j = where["q1_answer"], where["q2_answer"]
    reordered.cells[i], reordered.cells[j] = reordered.cells[j], reordered.cells[i]
    nb("reordered.ipynb", reordered, "q1 and q2 answer cells swapped")
    cells = samples.PATHOLOGICAL_CELLS
    nb(
        "infinite_loop.ipynb",
        samples.with_cell(good, cells["infinite_loop"], into_answer="q5_answer"),
        "loop after q5's answer",
    )
    nb(
        "memory_bomb.ipynb",
        samples.with_cell(good, cells["memory_bomb"], before_answer="q2_answer"),
        "allocates forever",
    )
    nb("sys_exit.ipynb", samples.with_cell(good, cells["sys_exit"], before_answer="q2_answer"), "sys.exit()")
    nb("os_exit.ipynb", samples.with_cell(good, cells["os_exit"], before_answer="q3_answer"), "os._exit()")
    nb("segfault.ipynb", samples.with_cell(good, cells["segfault"], before_answer="q4_answer"), "kernel segfault")
    nb("escape.ipynb", samples.with_cell(good, cells["escape"], before_answer="q2_answer"), "leaves daemons behind")
    nb("huge_output.ipynb", samples.with_cell(good, cells["huge_output"], before_answer="q4_answer"), "40 MB printed")
    nb(" spaced name.ipynb", samples.fill(student, {**answers, "q2_answer": "True"}), "leading space, q2 wrong")
    nb("-leading-dash.ipynb", samples.fill(student, {**answers, "q1_answer": '"c"'}), "leading dash, lower-case c")
    nb("ünïcødé 名前.ipynb", samples.fill(student, {"q4_answer": '"blue"'}), "unicode name, only q4")
    nb(
        "section-b/bob.ipynb",
        samples.fill(student, {**answers, "q3_answer": '["large", "medium", "small"]'}),
        "in a subfolder",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(f"{NAME}.ipynb", nbformat.writes(samples.fill(student, {**answers, "q5_answer": "9050"})))
        zf.writestr(".OTTER_LOG", b"\x00log")
    raw("exported.zip", buffer.getvalue(), "otter export zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("a.ipynb", nbformat.writes(good))
        zf.writestr("b.ipynb", nbformat.writes(good))
    raw("two_notebooks.zip", buffer.getvalue(), "zip with two notebooks")
    raw("broken.zip", b"PK\x03\x04garbage", "not a zip")
    # not submissions: no row expected
    (folder / "notes.txt").write_text("the teacher's notes")
    (folder / ".ipynb_checkpoints").mkdir()
    nbformat.write(good, folder / ".ipynb_checkpoints" / "solution-checkpoint.ipynb")
    return cases


def read_csv(path: Path) -> tuple[list[str], dict[str, dict]]:
    """Rows by file name, as the grader's own readers see them (a formula-looking name such as
    ``-leading-dash.ipynb`` is written ``'-leading-dash.ipynb``: autograder/common/csv_cells.py)."""
    from autograder.common.csv_cells import read_cell

    with open(path, newline="", encoding="utf-8") as f:
        rows = [{**r, "file": read_cell(r["file"])} for r in csv.DictReader(f)]
    return [r["file"] for r in rows], {r["file"]: r for r in rows}


@pytest.fixture(scope="session")
def batch(fixture_assignment, tmp_path_factory):
    """The batch, graded once per test run even across xdist workers (conftest's file lock)."""

    def grade_batch(base: Path) -> None:
        solution = nbformat.read(fixture_assignment.solution, as_version=4)
        student = nbformat.read(fixture_assignment.student, as_version=4)
        (base / "submissions").mkdir()
        (base / "tmp").mkdir()
        cases = write_batch(base / "submissions", solution, student)
        env = dict(os.environ, TMPDIR=str(base / "tmp"))  # the grader's work dirs: checked for leftovers
        first = run_grade(base / "submissions", base / "out", fixture_assignment.zip, env=env)
        assert first.returncode == 0, first.stderr[-3000:]
        (base / "run.json").write_text(json.dumps({"cases": cases, "stdout": first.stdout, "stderr": first.stderr}))

    base = build_once(tmp_path_factory, "grading-batch", grade_batch)
    run = json.loads((base / "run.json").read_text())
    out = base / "out"
    order, rows = read_csv(out / "grades.csv")
    return SimpleNamespace(
        cases=run["cases"], submissions=base / "submissions", out=out, tmp=base / "tmp",
        first=SimpleNamespace(stdout=run["stdout"], stderr=run["stderr"]),
        csv_bytes=(out / "grades.csv").read_bytes(), order=order, rows=rows,
        env=dict(os.environ, TMPDIR=str(base / "tmp")),
    )  # fmt: skip


def total(row) -> float:
    return float(row["total_points_earned"])


# -------------------------------------------------------------------------------------------
# the CSV


def test_one_row_per_input_file_sorted_in_otters_layout(batch):
    assert batch.order[0] == "points-per-question"
    assert batch.order[1:] == sorted(batch.cases), "one row per .ipynb/.zip file, sorted by relative path"
    header = batch.csv_bytes.decode().splitlines()[0].split(",")
    assert header == ["file", *QUESTIONS, "total_points_earned", "percent_correct", "grading_status"]
    points = batch.rows["points-per-question"]
    assert [float(points[q]) for q in QUESTIONS] == [1, 1, 1, 1, 2] and total(points) == 6
    for name in batch.cases:
        assert batch.rows[name]["grading_status"], name


def test_solution_full_marks_blank_zero(batch):
    assert total(batch.rows["solution.ipynb"]) == 6
    assert batch.rows["solution.ipynb"]["percent_correct"] == "1"
    assert batch.rows["blank.ipynb"]["grading_status"] == f"Completed; {ISOLATED}"
    assert total(batch.rows["blank.ipynb"]) == 0


def test_one_wrong_letter_loses_exactly_that_question(batch):
    row = batch.rows["one_wrong.ipynb"]
    assert float(row["q1"]) == 0
    assert [float(row[q]) for q in QUESTIONS[1:]] == [1, 1, 1, 2]
    assert row["percent_correct"] == "0.8333"


def test_always_equal_object_earns_nothing(batch):
    row = batch.rows["always_equal.ipynb"]
    assert row["grading_status"] == f"Completed; {ISOLATED}" and total(row) == 0


@pytest.mark.parametrize(
    "name, status, points",
    [
        ("malformed.ipynb", "Failed: not a notebook: invalid JSON", 0),
        ("empty.ipynb", "Failed: empty file", 0),
        ("binary.ipynb", "Failed: not a notebook", 0),
        ("not_a_notebook.ipynb", "Failed: not a notebook: the JSON has no list of cells", 0),
        ("other_assignment.ipynb", "Failed: wrong assignment: this notebook is for '01_ml_lifecycle'", 0),
        ("foreign.ipynb", "Failed: wrong notebook: no otter metadata", 0),
        ("two_notebooks.zip", "Failed: the zip holds 2 notebooks", 0),
        ("broken.zip", "Failed: not a readable zip file", 0),
        ("deleted_cells.ipynb", "no answer cell for q3", 5),
        # the grader reads each answer once the whole notebook has run, so a reordered answer
        # still counts (otter scores where its check cell runs and would give 5); the status
        # flags the reorder so the instructor can look
        ("reordered.ipynb", "cells reordered", 6),
        ("duplicate.ipynb", "identical content to solution.ipynb", 6),
        ("solution.ipynb", "identical content to duplicate.ipynb", 6),
        ("exported.zip", "Completed", 6),
        ("escape.ipynb", "Completed", 6),
        (" spaced name.ipynb", "Completed", 5),
        ("-leading-dash.ipynb", "Completed", 6),
        ("ünïcødé 名前.ipynb", "Completed", 1),
        ("section-b/bob.ipynb", "Completed", 5),
    ],
)
def test_bad_and_odd_inputs_get_a_row_and_a_reason(batch, name, status, points):
    row = batch.rows[name]
    assert status in row["grading_status"], row
    assert total(row) == points, row


# -------------------------------------------------------------------------------------------
# limits: a hostile cell costs only what depends on it


def test_infinite_loop_is_killed_and_only_its_cell_is_lost(batch):
    row = batch.rows["infinite_loop.ipynb"]
    assert "skipped: still running when the 40 s timeout hit" in row["grading_status"], row
    assert float(row["q5"]) == 0 and total(row) == 4  # q5's answer shared the cell with the loop


def test_memory_bomb_hits_the_cap_and_the_rest_is_graded(batch):
    row = batch.rows["memory_bomb.ipynb"]
    assert "hit the memory cap (2048 MiB: MemoryError)" in row["grading_status"], row
    assert total(row) == 6


@pytest.mark.parametrize(
    "name, why", [("os_exit.ipynb", "exited while running it"), ("segfault.ipynb", "killed by SIGSEGV")]
)
def test_dead_process_costs_only_its_cell(batch, name, why):
    row = batch.rows[name]
    assert "skipped: the notebook's process" in row["grading_status"] and why in row["grading_status"], row
    assert total(row) == 6


def test_sys_exit_is_ignored(batch):
    row = batch.rows["sys_exit.ipynb"]
    assert "called sys.exit() (ignored)" in row["grading_status"] and total(row) == 6


def test_huge_output_costs_nothing(batch):
    """Printed output is never kept while grading (only the answers are), so 40 MB of it is
    just time."""
    row = batch.rows["huge_output.ipynb"]
    assert row["grading_status"] == f"Completed; {ISOLATED}" and total(row) == 6


def test_no_process_or_work_dir_survives_the_batch(batch):
    """Not the killed loop's kernel, nor the daemons escape.ipynb started (they ran in the grading
    work dir, which is under batch.tmp)."""
    leftovers = []
    for proc in psutil.process_iter(["cmdline", "cwd"]):
        text = " ".join(proc.info["cmdline"] or []) + " " + (proc.info["cwd"] or "")
        if str(batch.tmp) in text:
            leftovers.append((proc.pid, text[:200]))
    assert not leftovers
    assert not list(batch.tmp.glob("mlsys-*")), "the grading work dirs were not removed"


# -------------------------------------------------------------------------------------------
# what the instructor and the students see


def test_progress_bar_and_summary(batch):
    bar = batch.first.stderr.replace("\r", "\n").splitlines()
    assert any("grading: 100%" in line and f"{len(batch.cases)}/{len(batch.cases)}" in line for line in bar), bar[-3:]
    out = batch.first.stdout
    assert f"{len(batch.cases)} submission file(s)" in out
    assert "could not be graded" in out and "failed: broken.zip: not a readable zip file" in out
    assert "notes.txt" in out  # passed over, and said so


def hidden_secrets(tests_dir: Path) -> list[str]:
    """Source lines and expected literals of every hidden test."""
    secrets = []
    for path in sorted(tests_dir.glob("*.py")):
        source = path.read_text()
        tree = ast.parse(source)
        for fn in [n for n in tree.body if isinstance(n, ast.FunctionDef)]:
            hidden = any(
                isinstance(d, ast.Call)
                and any(k.arg == "hidden" and getattr(k.value, "value", False) for k in d.keywords)
                for d in fn.decorator_list
            )
            if not hidden:
                continue
            secrets.append(fn.name)
            for stmt in fn.body:
                secrets.append(ast.get_source_segment(source, stmt).strip())
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("expect_"):
                        expected = node.args[1]
                        trivial = isinstance(expected, ast.Constant) and (
                            isinstance(expected.value, bool) or len(str(expected.value)) <= 1
                        )  # True/False and single letters are also in the public messages
                        if not trivial:
                            secrets.append(ast.get_source_segment(source, expected))
                        # a single letter is also one of the public options: the line above covers it
                        if (
                            isinstance(expected, ast.Constant)
                            and isinstance(expected.value, str)
                            and len(expected.value) > 1
                        ):
                            secrets += [f'"{expected.value}"', f"'{expected.value}'", expected.value]
                        if isinstance(expected, ast.List):
                            values = [e.value for e in expected.elts]
                            secrets += [repr(values), json.dumps(values), ", ".join(map(str, values))]
                            secrets += [v for v in values if isinstance(v, str) and len(v) > 4 and " " in v]
    return [s for s in secrets if s]


def test_feedback_never_shows_hidden_tests(batch, fixture_assignment):
    secrets = hidden_secrets(fixture_assignment.tests)
    assert "expect_choice(q1_answer, 'C', 'q1_answer')" in secrets  # the scan sees what it must
    files = sorted((batch.out / "feedback").rglob("*.md"))
    assert len(files) == len(batch.cases)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in text, f"{path.name} shows {secret!r}"


def test_feedback_shows_scores_and_public_messages(batch):
    text = (batch.out / "feedback" / "one_wrong.ipynb.md").read_text(encoding="utf-8")
    assert "## q1: 0 / 1" in text and "hidden check 1: failed" in text
    text = (batch.out / "feedback" / "blank.ipynb.md").read_text(encoding="utf-8")
    assert "q1_answer has not been answered yet" in text  # a public check's message
    assert (batch.out / "feedback" / "section-b" / "bob.ipynb.md").exists()
    assert "not a readable zip file" in (batch.out / "feedback" / "broken.zip.md").read_text(encoding="utf-8")


# -------------------------------------------------------------------------------------------
# resume and determinism


def test_second_run_skips_everything_and_writes_the_same_csv(batch, fixture_assignment):
    again = run_grade(batch.submissions, batch.out, fixture_assignment.zip, env=batch.env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "0 graded now" in again.stdout and "from the cache" in again.stdout
    assert (batch.out / "grades.csv").read_bytes() == batch.csv_bytes


def test_two_fresh_runs_give_byte_identical_csv(batch, fixture_assignment, tmp_path):
    subset = tmp_path / "subset"
    subset.mkdir()
    for name in ["solution.ipynb", "blank.ipynb", "one_wrong.ipynb", "always_equal.ipynb", "malformed.ipynb"]:
        (subset / name).write_bytes((batch.submissions / name).read_bytes())
    outputs = []
    for run in ("a", "b"):
        result = run_grade(subset, tmp_path / run, fixture_assignment.zip)
        assert result.returncode == 0, result.stderr[-2000:]
        outputs.append((tmp_path / run / "grades.csv").read_bytes())
    assert outputs[0] == outputs[1]
    _, rows = read_csv(tmp_path / "a" / "grades.csv")
    for name in ["solution.ipynb", "blank.ipynb", "one_wrong.ipynb", "always_equal.ipynb"]:
        mine = {k: v for k, v in rows[name].items() if k != "grading_status"}
        theirs = {k: v for k, v in batch.rows[name].items() if k != "grading_status"}
        assert mine == theirs, name


# -------------------------------------------------------------------------------------------
# the Gradescope path: otter's own runner on the same zip


@pytest.mark.parametrize("which, percent", [("solution", 100.0), ("student", 0.0)])
def test_otter_run_on_the_autograder_zip(fixture_assignment, tmp_path, which, percent):
    notebook = tmp_path / f"{NAME}.ipynb"
    notebook.write_bytes(getattr(fixture_assignment, which).read_bytes())
    command = [
        sys.executable,
        "-m",
        "otter",
        "run",
        "-a",
        str(fixture_assignment.zip),
        "-o",
        str(tmp_path),
        str(notebook),
    ]
    proc = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads((tmp_path / "results.json").read_text())
    tests = {t["name"]: t for t in results["tests"] if "max_score" in t}
    assert sorted(tests) == QUESTIONS
    earned = sum(t["score"] for t in tests.values())
    possible = sum(t["max_score"] for t in tests.values())
    assert possible == 6 and earned / possible * 100 == percent
