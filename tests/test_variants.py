"""Every student their own numbers: variants drawn per roster id, graded per roster id.

Unit tests of ``mlsys_lab.variants`` (determinism, spread, the master's numbers without an id),
the pipeline step that copies a question's variant cell into its tests, and grading through the
real command with a roster: each student's own answers score full marks, a classmate's numbers
lose the points (and the status and feedback say so), an id forged inside the notebook changes
nothing, and a class of 200 ids scores right.
"""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from mlsys_lab import variants

ROOT = Path(__file__).resolve().parent.parent
NAME = "98_variants"
SALT = "test salt"


@pytest.fixture(autouse=True)
def _reset():
    yield
    variants.configure(None, None, None)


def _budget():
    return variants.draw(
        "runs",
        master={"weeks": 10, "run_hours": 36},
        weeks=variants.span(4, 20),
        run_hours=variants.choose(12, 18, 24, 30, 36, 48, 60, 72),
    )


def test_without_an_id_the_master_numbers_are_shown_and_said():
    variants.configure(SALT, NAME, None)
    budget = _budget()
    assert dict(budget) == {"weeks": 10, "run_hours": 36} and budget.is_master
    assert "master's numbers" in budget.describe()
    assert variants.permutation("pick", 4) == [0, 1, 2, 3] and variants.letter("pick", "B") == "B"


def test_the_same_id_always_gets_the_same_numbers_and_order():
    variants.configure(SALT, NAME, "s1001")
    first, order = dict(_budget()), variants.permutation("pick", 4)
    variants.configure(SALT, NAME, "s1002")
    variants.configure(SALT, NAME, "s1001")
    assert dict(_budget()) == first and variants.permutation("pick", 4) == order
    assert sorted(order) == [0, 1, 2, 3]


def test_the_salt_assignment_and_question_all_change_the_draw():
    variants.configure(SALT, NAME, "s1001")
    base = [dict(_budget()), variants.permutation("pick", 4)]
    seen = []
    for salt, assignment in ((SALT + "!", NAME), (SALT, "97_other")):
        variants.configure(salt, assignment, "s1001")
        seen.append([dict(_budget()) for _ in range(1)] + [variants.permutation("pick", 4)])
    draws = {json.dumps(d, sort_keys=True) for d in [base[0]] + [s[0] for s in seen]}
    assert len(draws) > 1


def test_two_thousand_students_share_few_instances_and_every_one_is_well_posed():
    from mlsys_lab.science.iteration import experiments_in_window
    from mlsys_lab.units import Q_

    counts: dict[str, int] = {}
    letters = {}
    for i in range(2000):
        variants.configure(SALT, NAME, f"s{i:05d}")
        budget = _budget()
        counts[json.dumps(dict(budget), sort_keys=True)] = counts.get(json.dumps(dict(budget), sort_keys=True), 0) + 1
        runs = experiments_in_window(Q_(budget["weeks"], "week"), Q_(budget["run_hours"], "hour"))
        assert math.isfinite(runs) and runs >= 1, budget  # at least one complete run always fits
        letters[variants.letter("pick", "B")] = letters.get(variants.letter("pick", "B"), 0) + 1
    possible = variants.count(weeks=variants.span(4, 20), run_hours=variants.choose(12, 18, 24, 30, 36, 48, 60, 72))
    assert possible == 136
    assert len(counts) >= 0.95 * possible  # nearly every instance is used
    assert max(counts.values()) <= 3 * 2000 / possible  # and none is shared by a crowd
    assert set(letters) == set("ABCD") and min(letters.values()) > 400  # the key's letter is spread


@pytest.mark.parametrize("bad", ["", " ", "a b", "x" * 65, "s1;rm", "../etc"])
def test_a_malformed_roster_id_is_refused(bad):
    if not bad.strip():
        variants.configure(SALT, NAME, None)
        assert variants.student() is None
        return
    with pytest.raises(ValueError, match="roster id"):
        variants.configure(SALT, NAME, bad)


def test_start_asks_for_the_id_and_falls_back_to_the_master(capsys):
    from mlsys_lab.course.notebook import _choose_variant

    _choose_variant(NAME, "", SALT)
    assert "No roster id yet" in capsys.readouterr().out and variants.student() is None
    _choose_variant(NAME, "bad id!", SALT)
    assert "does not look like a roster id" in capsys.readouterr().out and variants.student() is None
    _choose_variant(NAME, "s1001", SALT)
    assert "your own numbers" in capsys.readouterr().out and variants.student() == "s1001"


# -------------------------------------------------------------------------------------------
# the pipeline step


def test_the_variant_cell_is_copied_into_every_test_of_its_question(variants_course):
    tests = variants_course.dist / NAME / "tests"
    runs = (tests / "runs.py").read_text()
    assert runs.count("budget = ml.variants.draw('runs'") == 2  # public and hidden test
    assert "budget.show()" not in runs
    pick = (tests / "pick.py").read_text()
    assert pick.count("import mlsys_lab as ml") == 2 and "ml.variants.options" not in pick
    with __import__("zipfile").ZipFile(variants_course.dist / f"{NAME}.zip") as zf:
        info = json.loads(zf.read("mlsys_variants.json"))
    assert info["questions"] == ["runs", "pick"] and info["salt"]


# -------------------------------------------------------------------------------------------
# stage 2 for a class of 200


def _answers(**values) -> str:
    from autograder.grading import answers as plain

    return json.dumps({"format": plain.FORMAT, "answers": {k: plain.encode_one(v) for k, v in values.items()}})


def _right_answers(salt: str, student: str) -> dict:
    from mlsys_lab.science.iteration import experiments_in_window
    from mlsys_lab.units import Q_

    variants.configure(salt, NAME, student)
    budget = _budget()
    runs = experiments_in_window(Q_(budget["weeks"], "week"), Q_(budget["run_hours"], "hour"))
    return {"runs_answer": runs, "pick_answer": variants.letter("pick", "B")}


def test_a_class_of_200_scores_its_own_answers_full_and_a_neighbours_honestly(variants_course):
    from autograder.grading.score import Scorer, read_variants

    zip_path = variants_course.dist / f"{NAME}.zip"
    scorer, salt = Scorer(zip_path), read_variants(zip_path)["salt"]
    ids = [f"s{i:04d}" for i in range(200)]
    own = {sid: _right_answers(salt, sid) for sid in ids}
    for index, sid in enumerate(ids):
        tests, _, _ = scorer.score(_answers(**own[sid]), student=sid)
        assert sum(t.score for t in tests.values()) == 3, sid
        neighbour = own[ids[(index + 1) % len(ids)]]
        tests, _, _ = scorer.score(_answers(**neighbour), student=sid)
        same_runs = neighbour["runs_answer"] == own[sid]["runs_answer"]
        same_letter = neighbour["pick_answer"] == own[sid]["pick_answer"]
        assert sum(t.score for t in tests.values()) == 2 * same_runs + same_letter, sid


# -------------------------------------------------------------------------------------------
# through the real command, with a roster


def _notebook(variants_course, source: str) -> nbformat.NotebookNode:
    """The released notebook with one cell appended that sets the answers."""
    nb = nbformat.read(variants_course.notebooks / f"{NAME}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


def test_grading_with_a_roster(variants_course, tmp_path):
    from autograder.grading.score import read_variants

    zip_path = variants_course.dist / f"{NAME}.zip"
    salt = read_variants(zip_path)["salt"]
    a, b = "s0001", "s0002"
    mine_a, mine_b = _right_answers(salt, a), _right_answers(salt, b)
    assert mine_a != mine_b, "pick two ids whose numbers differ"
    folder = tmp_path / "subs"
    folder.mkdir()
    solution = nbformat.read(variants_course.dist / NAME / f"{NAME}.ipynb", as_version=4)
    nbformat.write(solution, folder / "alice_solution.ipynb")  # computes with the roster's id
    literal = lambda ans: f"runs_answer = {ans['runs_answer']!r}\npick_answer = {ans['pick_answer']!r}"  # noqa: E731
    nbformat.write(_notebook(variants_course, literal(mine_b)), folder / "bob_own.ipynb")
    nbformat.write(_notebook(variants_course, literal(mine_b)), folder / "alice_copied_bob.ipynb")
    forged = (
        f"import mlsys_lab as ml\nml.variants.configure({salt!r}, {NAME!r}, {b!r})\n"
        "budget = ml.variants.draw('runs', master={'weeks': 10, 'run_hours': 36}, weeks=ml.variants.span(4, 20),"
        " run_hours=ml.variants.choose(12, 18, 24, 30, 36, 48, 60, 72))\n"
        "runs_answer = ml.iteration.experiments_in_window(ml.Q_(budget['weeks'], 'week'), ml.Q_(budget['run_hours'], 'hour'))\n"
        "pick_answer = ml.variants.letter('pick', 'B')"
    )
    nbformat.write(_notebook(variants_course, forged), folder / "alice_forged_id.ipynb")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "file,student_id,name,email\n"
        f"alice_solution.ipynb,{a},Alice,a@x.org\nbob_own.ipynb,{b},Bob,b@x.org\n"
        f"alice_copied_bob.ipynb,{a},Alice,a@x.org\nalice_forged_id.ipynb,{a},Alice,a@x.org\n"
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--assignment", NAME, "--submissions", str(folder),
         "--out", str(out), "--autograder", str(zip_path), "--roster", str(roster)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(out / "grades.csv", newline="") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    expected_copied = 2 * (mine_a["runs_answer"] == mine_b["runs_answer"]) + (
        mine_a["pick_answer"] == mine_b["pick_answer"]
    )
    assert float(rows["alice_solution.ipynb"]["total_points_earned"]) == 3
    assert float(rows["bob_own.ipynb"]["total_points_earned"]) == 3
    assert float(rows["alice_copied_bob.ipynb"]["total_points_earned"]) == expected_copied
    assert float(rows["alice_forged_id.ipynb"]["total_points_earned"]) == expected_copied
    assert "fits the numbers of bob_own.ipynb" in rows["alice_copied_bob.ipynb"]["grading_status"]
    feedback = (out / "feedback" / "alice_copied_bob.ipynb.md").read_text()
    assert "matches another student's numbers" in feedback
    section = feedback.split("## runs:")[1].split("## ")[0]
    assert not re.search(rf"\b{mine_a['runs_answer']:g}\b", section.split("\n", 1)[1]), section  # no expected value
    assert "bob" not in feedback.lower().replace("alice_copied_bob", "")  # nor whose numbers
    results = json.loads((out / "results.json").read_text())
    assert {"file": "alice_copied_bob.ipynb", "question": "runs", "fits": "bob_own.ipynb"} in results["copies"]


def test_without_a_roster_the_status_says_the_master_numbers_were_used(variants_course, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    nbformat.write(nbformat.read(variants_course.dist / NAME / f"{NAME}.ipynb", as_version=4), folder / "x.ipynb")
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--assignment", NAME, "--submissions", str(folder),
         "--out", str(tmp_path / "out"), "--autograder", str(variants_course.dist / f"{NAME}.zip")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(tmp_path / "out" / "grades.csv", newline="") as f:
        row = [r for r in csv.DictReader(f) if r["file"] == "x.ipynb"][0]
    assert float(row["total_points_earned"]) == 3 and "graded with the master's numbers" in row["grading_status"]
