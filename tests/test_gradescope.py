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

# the tests that run run_autograder are marked slow; the zip's contents are read in an instant

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
    assert {"autograder/grading/runner.py", "autograder/grading/score.py", "autograder/common/conventions.py"} <= names
    assert "bubblewrap" in setup
    assert any(n.startswith("tests/") for n in names)


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_broken_submission_still_gets_results(fixture_course, tmp_path):
    results = run_gradescope(fixture_course.dist / f"{NAME}.zip", b'{"cells": [', tmp_path / "autograder", "bwrap")
    assert results["score"] == 0 and "not a notebook" in results["output"]


# -------------------------------------------------------------------------------------------
# whose numbers: the variants fixture (runs and pick vary per student, same does not)

VARIANTS = "98_variants"
SECRET = "a throwaway secret for the gradescope tests"


def _sealed(variants_course, tmp_path, roster: str | None = None) -> Path:
    from autograder.authoring.course_secret import seal

    path = tmp_path / "sealed.zip"
    seal(variants_course.dist / f"{VARIANTS}.zip", SECRET, path, roster)
    return path


def _answers_for(student: str | None) -> dict:
    """The answers right for ``student``'s numbers (None: the master's key)."""
    from mlsys_lab.course import variants

    variants.configure(SECRET if student else None, VARIANTS, student)
    budget = variants.draw("runs", master={"weeks": 10, "run_hours": 36}, weeks=variants.span(4, 20),
                           run_hours=variants.choose(12, 18, 24, 30, 36, 48, 60, 72))  # fmt: skip
    from mlsys_lab.science.iteration import experiments_in_window
    from mlsys_lab.units import Q_

    runs = experiments_in_window(Q_(budget["weeks"], "week"), Q_(budget["run_hours"], "hour"))
    answers = {"runs_answer": runs, "pick_answer": variants.letter("pick", "B"), "same_answer": True}
    variants.configure(None, None)
    return answers


def _submission(variants_course, source: str) -> bytes:
    import nbformat

    nb = nbformat.read(variants_course.notebooks / f"{VARIANTS}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nbformat.writes(nb).encode()


def _literal(answers: dict) -> str:
    return "\n".join(f"{name} = {value!r}" for name, value in answers.items())


def _run(zip_path: Path, notebook: bytes, root: Path, user: dict | None, mode: str = "bwrap") -> dict:
    for folder in ("source", "submission", "results"):
        (root / folder).mkdir(parents=True)
    if user is not None:
        (root / "submission_metadata.json").write_text(json.dumps({"users": [user]}))
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
    (root / "submission" / f"{VARIANTS}.ipynb").write_bytes(notebook)
    env = dict(os.environ, MLSYS_AUTOGRADER_ROOT=str(root), MLSYS_AUTOGRADER_PYTHON=sys.executable, MLSYS_SANDBOX=mode)
    proc = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    results["by_name"] = {t["name"]: t for t in results["tests"]}
    return results


def _varied_points(mine: dict, key: dict) -> int:
    return 2 * (mine["runs_answer"] == key["runs_answer"]) + (mine["pick_answer"] == key["pick_answer"])


@pytest.mark.parametrize(
    "user, roster, why",
    [
        ({"sid": " ", "email": "Not An Id!"}, None, "Gradescope gave no usable student id"),
        (
            {"sid": "99 99", "email": "eve@x.org"},
            "student_id,email,sid\ns0001,alice@x.org,\n",
            "not on the course roster",
        ),
    ],
    ids=["no-usable-id", "not-on-the-roster"],
)
@pytest.mark.slow
def test_a_leaked_master_key_earns_no_varied_point(variants_course, tmp_path, user, roster, why):
    """No id: the varied questions score 0 and the status and their feedback say exactly why;
    the question that is the same for everyone is scored as usual."""
    key = _submission(variants_course, _literal(_answers_for(None)))
    results = _run(_sealed(variants_course, tmp_path, roster), key, tmp_path / "autograder", user)
    scores = {name: t["score"] for name, t in results["by_name"].items()}
    assert scores == {"runs": 0.0, "pick": 0.0, "same": 1.0} and results["score"] == 1.0, results
    assert "runs, pick scored 0" in results["output"] and why in results["output"]
    assert "Ask your instructor" in results["output"]
    assert results["by_name"]["runs"]["output"].startswith("scored 0: this question has numbers of your own")


@pytest.mark.parametrize(
    "user, roster",
    [
        ({"sid": " S00 01 ", "email": ""}, None),  # the SID with spaces and a capital is the roster id
        ({"sid": "", "email": "  ALICE@X.org "}, "student_id,email,sid\ns0001,alice@x.org,\ns0002,bob@x.org,\n"),
        ({"sid": "12 34", "email": ""}, "student_id,email,sid\ns0001,,1234\n"),
    ],
    ids=["sid-needs-normalising", "email-in-capitals-via-roster", "sid-via-roster"],
)
@pytest.mark.slow
def test_a_valid_student_is_graded_on_their_own_numbers(variants_course, tmp_path, user, roster):
    mine, theirs = _answers_for("s0001"), _answers_for("s0002")
    assert mine != theirs, "pick two ids whose numbers differ"
    notebook = _submission(variants_course, _literal(mine))
    results = _run(_sealed(variants_course, tmp_path, roster), notebook, tmp_path / "autograder", user)
    assert results["score"] == 4.0, results
    assert results["output"].startswith("Completed") and "scored 0" not in results["output"]


@pytest.mark.slow
def test_an_unsealed_zip_scores_varied_questions_0_and_says_why(variants_course, tmp_path):
    notebook = _submission(variants_course, _literal(_answers_for("s0001")))
    results = _run(variants_course.dist / f"{VARIANTS}.zip", notebook, tmp_path / "autograder", {"sid": "s0001"})
    assert results["score"] == 1.0 and "no copy of the course's variants secret" in results["output"], results


@pytest.mark.slow
def test_the_id_comes_from_gradescope_metadata_not_the_notebook(variants_course, tmp_path):
    """The solution computes with the code the grader derives from the metadata's id; a forged
    code in the notebook and a classmate's literal answers earn only what they share."""
    from mlsys_lab.course.variants import personal_code

    mine, theirs = _answers_for("s0001"), _answers_for("s0002")
    sealed = _sealed(variants_course, tmp_path)
    solution = (variants_course.dist / VARIANTS / f"{VARIANTS}.ipynb").read_bytes()
    forged = _submission(
        variants_course,
        f"import mlsys_lab as ml\nml.variants.configure({personal_code(SECRET, 's0002')!r}, {VARIANTS!r})\n"
        + _literal(theirs),
    )
    user = {"sid": "s0001", "email": "a@x.org"}
    assert _run(sealed, solution, tmp_path / "solution" / "autograder", user)["score"] == 4.0
    got = _run(sealed, forged, tmp_path / "forged" / "autograder", user)["score"]
    assert got == _varied_points(mine, theirs) + 1


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["bwrap", "user"])
def test_the_sandboxed_notebook_cannot_read_the_sealed_secret(variants_course, tmp_path, mode):
    """The secret sits in source/ (hidden in bubblewrap, unreadable to the stranger uid in user
    mode): a notebook that reads it right answers 'pick'; one that cannot, answers wrong."""
    root = tmp_path / "autograder"
    secret_path = root / "source" / "variants_secret"
    mine = _answers_for("s0001")
    wrong = next(letter for letter in "ABCD" if letter != mine["pick_answer"])
    probe = (
        "import mlsys_lab as ml\n"
        f"try:\n    leaked = open({str(secret_path)!r}).read().strip()\nexcept Exception:\n    leaked = ''\n"
        f"pick_answer = ml.variants.letter('pick', 'B') if leaked else {wrong!r}\n"
        "runs_answer = 1.0\nsame_answer = True"
    )
    results = _run(
        _sealed(variants_course, tmp_path), _submission(variants_course, probe), root, {"sid": "s0001"}, mode
    )
    assert results["by_name"]["pick"]["score"] == 0.0 and results["by_name"]["same"]["score"] == 1.0, results


def test_seal_adds_the_secret_and_roster_and_changes_nothing_else(variants_course, tmp_path):
    secret_file, roster = tmp_path / "secret", tmp_path / "gs.csv"
    secret_file.write_text(SECRET + "\n")
    roster.write_text("student_id,email,sid\ns0001,alice@x.org,1234\n")
    out = tmp_path / "sealed.zip"
    command = [sys.executable, "-m", "autograder", "seal", VARIANTS, "--autograder",
               str(variants_course.dist / f"{VARIANTS}.zip"), "--out", str(out), "--secret-file", str(secret_file)]  # fmt: skip
    proc = subprocess.run([*command, "--gradescope-roster", str(roster)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(variants_course.dist / f"{VARIANTS}.zip") as zf:
        original = {n: zf.read(n) for n in zf.namelist()}
    with zipfile.ZipFile(out) as zf:
        sealed = {n: zf.read(n) for n in zf.namelist()}
    assert sealed.pop("variants_secret").decode().strip() == SECRET
    assert sealed.pop("gradescope_roster.csv").decode() == roster.read_text()
    assert sealed == original and SECRET.encode() not in b"".join(original.values())
    roster.write_text("student_id,email\ns0001,alice@x.org\ns0002,alice@x.org\n")  # one e-mail, two students
    bad = subprocess.run([*command, "--gradescope-roster", str(roster)], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "given to two students" in bad.stderr
