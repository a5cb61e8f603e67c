"""``python -m autograder nbgrader``: the masters as an nbgrader course, checked with nbgrader's own CLI.

The fixture master is exported into a temporary course directory; ``nbgrader
generate_assignment`` releases it, and ``nbgrader autograde`` grades three submissions: the
released notebook with the solution's answers filled in (full autograded marks), the released
notebook untouched (zero), and one with a wrong letter (one point less).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
MASTER = ROOT / "tests" / "fixtures" / "99_fixture.md"
NAME = "99_fixture"
STUB = re.compile(r"^(?P<name>\w+_answer) = \(\n\s*\.\.\.\n\)$")
REGION = re.compile(r"^(?P<name>\w+_answer) = \(\n\s*# BEGIN SOLUTION\n\s*(?P<value>.*?)\n\s*# END SOLUTION\n\)$", re.S)


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader runs the `alembic` script by name: the environment's bin must be on PATH
    # even when the tests were started as .venv/bin/python without activating it
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    proc = subprocess.run(command, cwd=course, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


def test_export_marks_cells_for_nbgrader(tmp_path):
    from autograder.authoring.nbgrader_export import export

    [path] = export([MASTER], tmp_path, package=False)
    nb = nbformat.read(path, as_version=4)
    kinds = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta:
            kinds[meta["grade_id"]] = (
                cell.cell_type,
                meta["grade"],
                meta["solution"],
                meta["locked"],
                meta.get("points"),
            )
    assert kinds["q1-answer"] == ("code", False, True, False, None)  # autograded answer
    assert kinds["q1-tests"] == ("code", True, False, True, 1.0)  # autograder tests
    assert kinds["q5-tests"][-1] == 2.0
    assert kinds["q6"] == ("markdown", True, True, False, 2.0)  # manually graded answer
    q1_tests = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1-tests")
    public, hidden = q1_tests.split("### BEGIN HIDDEN TESTS")
    assert "check_choice" in public and '"C"' not in public
    assert "expect_choice" in hidden and "### END HIDDEN TESTS" in hidden
    assert not any("otter" in c.source or "grader.check" in c.source for c in nb.cells)
    assert (tmp_path / "nbgrader_config.py").exists()


@pytest.mark.slow
def test_nbgrader_generates_and_autogrades(tmp_path):
    course = tmp_path / "course"
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "nbgrader", "--out", str(course), str(MASTER)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    nbgrader(course, "generate_assignment", NAME, "--force")
    release = course / "release" / NAME
    released = nbformat.read(release / f"{NAME}.ipynb", as_version=4)
    text = "\n".join(c.source for c in released.cells)
    assert "BEGIN HIDDEN TESTS" not in text and "expect_" not in text and "Rubric" not in text
    assert "q1_answer = (\n    ...\n)" in text  # the student sees `...` where the answer goes

    source = nbformat.read(course / "source" / NAME / f"{NAME}.ipynb", as_version=4)
    values = {m["name"]: m["value"] for c in source.cells if (m := REGION.match(c.source))}
    assert values["q1_answer"] == '"C"'

    def submit(student: str, answers: dict[str, str]) -> None:
        folder = course / "submitted" / student / NAME
        shutil.copytree(release, folder)
        nb = nbformat.read(folder / f"{NAME}.ipynb", as_version=4)
        for cell in nb.cells:
            m = STUB.match(cell.source)
            if m and m["name"] in answers:
                cell.source = f"{m['name']} = {answers[m['name']]}"
        nbformat.write(nb, folder / f"{NAME}.ipynb")

    submit("full", values)
    submit("blank", {})
    submit("one_wrong", {**values, "q1_answer": '"A"'})
    nbgrader(course, "autograde", NAME, "--force")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(NAME, s) for s in ("full", "blank", "one_wrong")}
        assert scores["full"].max_code_score == 6
        assert scores["full"].code_score == 6
        assert scores["blank"].code_score == 0
        assert scores["one_wrong"].code_score == 5
        assert scores["full"].max_written_score == 2  # the explain question, graded by hand
