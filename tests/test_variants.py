"""Every student their own numbers: variants drawn per personal code, graded per roster id.

Unit tests of ``mlsys_lab.course.variants`` (determinism, spread, the master's numbers without a code,
the code's check character), the pipeline step that copies a question's variant cell into its
tests, and grading through the real command with a roster and a throwaway secret: each student's
own answers score full marks, a classmate's numbers lose the points, a code forged inside the
notebook changes nothing, a leaked master key earns no varied point, and a class of 200 scores
right.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from mlsys_lab.course import variants

ROOT = Path(__file__).resolve().parent.parent
NAME = "98_variants"
SECRET = "a throwaway secret for the variants tests"


@pytest.fixture(autouse=True)
def _reset():
    yield
    variants.configure(None, None)


def _budget():
    return variants.draw(
        "runs",
        master={"weeks": 10, "run_hours": 36},
        weeks=variants.span(4, 20),
        run_hours=variants.choose(12, 18, 24, 30, 36, 48, 60, 72),
    )


def test_without_a_code_the_master_numbers_are_shown_and_said():
    variants.configure(None, NAME)
    budget = _budget()
    assert dict(budget) == {"weeks": 10, "run_hours": 36} and budget.is_master
    assert "master's numbers" in budget.describe()
    assert variants.permutation("pick", 4) == [0, 1, 2, 3] and variants.letter("pick", "B") == "B"


def test_the_same_id_always_gets_the_same_numbers_and_order():
    variants.configure(SECRET, NAME, "s1001")
    first, order = dict(_budget()), variants.permutation("pick", 4)
    variants.configure(SECRET, NAME, "s1002")
    variants.configure(SECRET, NAME, "s1001")
    assert dict(_budget()) == first and variants.permutation("pick", 4) == order
    assert sorted(order) == [0, 1, 2, 3]


def test_the_secret_assignment_and_question_all_change_the_draw():
    variants.configure(SECRET, NAME, "s1001")
    base = [dict(_budget()), variants.permutation("pick", 4)]
    seen = []
    for secret, assignment in ((SECRET + "!", NAME), (SECRET, "97_other")):
        variants.configure(secret, assignment, "s1001")
        seen.append([dict(_budget()) for _ in range(1)] + [variants.permutation("pick", 4)])
    draws = {json.dumps(d, sort_keys=True) for d in [base[0]] + [s[0] for s in seen]}
    assert len(draws) > 1


def test_two_thousand_students_share_few_instances_and_every_one_is_well_posed():
    from mlsys_lab.science.iteration import experiments_in_window
    from mlsys_lab.units import Q_

    counts: dict[str, int] = {}
    letters = {}
    for i in range(2000):
        variants.configure(SECRET, NAME, f"s{i:05d}")
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


@pytest.mark.parametrize("bad", ["a b", "x" * 65, "s1;rm", "../etc"])
def test_a_malformed_roster_id_is_refused(bad):
    with pytest.raises(ValueError, match="roster id"):
        variants.configure(SECRET, NAME, bad)


def test_a_code_is_the_secret_and_the_id_and_nothing_else():
    code = variants.personal_code(SECRET, "s1001")
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}", code)
    # the id as another list writes it (spaces, capitals) is the same student
    assert variants.personal_code(SECRET, " S10 01 ") == code
    assert variants.personal_code(SECRET + "!", "s1001") != code != variants.personal_code(SECRET, "s1002")
    # the notebook draws from the code alone: the instructor's side and the student's agree
    variants.configure(SECRET, NAME, "s1001")
    theirs = dict(_budget()), variants.permutation("pick", 4)
    variants.configure(code.lower().replace("-", " "), NAME)
    assert (dict(_budget()), variants.permutation("pick", 4)) == theirs and not _budget().is_master


def test_every_single_typo_and_neighbour_swap_in_a_code_is_caught():
    raw = variants.normalise_code(variants.personal_code(SECRET, "s1001"))
    alphabet = variants.CODE_ALPHABET
    typos = [raw[:i] + c + raw[i + 1 :] for i in range(len(raw)) for c in alphabet if c != raw[i]]
    swaps = [raw[:i] + raw[i + 1] + raw[i] + raw[i + 2 :] for i in range(len(raw) - 1) if raw[i] != raw[i + 1]]
    for wrong in typos + swaps:
        with pytest.raises(variants.BadCode, match="typo"):
            variants.normalise_code(wrong)
    with pytest.raises(variants.BadCode, match="9 letters and digits"):
        variants.normalise_code(raw[:-1])
    with pytest.raises(variants.BadCode, match="'U'"):
        variants.normalise_code(raw[:-1] + "U")


def test_start_asks_for_the_code_and_says_what_is_wrong_with_a_typo(capsys):
    from mlsys_lab.course.notebook import _choose_variant

    code = variants.personal_code(SECRET, "s1001")
    _choose_variant(NAME, "")
    assert "No personal code yet" in capsys.readouterr().out and variants.student() is None
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    _choose_variant(NAME, typo)
    out = capsys.readouterr().out
    assert "has a typo" in out and "master's numbers" in out and variants.student() is None
    _choose_variant(NAME, "K7Q-M2X")
    assert "9 letters and digits" in capsys.readouterr().out and variants.student() is None
    _choose_variant(NAME, code)
    assert "your own numbers" in capsys.readouterr().out and variants.student() == code.replace("-", "")


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
    assert info["questions"] == ["runs", "pick"] and "salt" not in info and "secret" not in json.dumps(info)


# -------------------------------------------------------------------------------------------
# stage 2 for a class of 200


def _answers(**values) -> str:
    from autograder.grading import answers as plain

    return json.dumps({"format": plain.FORMAT, "answers": {k: plain.encode_one(v) for k, v in values.items()}})


def _right_answers(secret: str | None, student: str | None) -> dict:
    """The answers right for ``student``'s numbers under ``secret`` (None: the master's key)."""
    from mlsys_lab.science.iteration import experiments_in_window
    from mlsys_lab.units import Q_

    variants.configure(secret, NAME, student)
    budget = _budget()
    runs = experiments_in_window(Q_(budget["weeks"], "week"), Q_(budget["run_hours"], "hour"))
    answers = {"runs_answer": runs, "pick_answer": variants.letter("pick", "B"), "same_answer": True}
    variants.configure(None, None)
    return answers


def _varied_points(mine: dict, key: dict) -> int:
    """What ``key`` earns on the varied questions of a student whose right answers are ``mine``."""
    return 2 * (mine["runs_answer"] == key["runs_answer"]) + (mine["pick_answer"] == key["pick_answer"])


def test_a_class_of_200_scores_its_own_answers_full_and_a_neighbours_honestly(variants_course):
    from autograder.grading.score import Scorer

    scorer = Scorer(variants_course.dist / f"{NAME}.zip")
    ids = [f"s{i:04d}" for i in range(200)]
    own = {sid: _right_answers(SECRET, sid) for sid in ids}
    for index, sid in enumerate(ids):
        code = variants.personal_code(SECRET, sid)
        tests, _, _ = scorer.score(_answers(**own[sid]), student=code)
        assert sum(t.score for t in tests.values()) == 4, sid
        neighbour = own[ids[(index + 1) % len(ids)]]
        tests, _, _ = scorer.score(_answers(**neighbour), student=code)
        assert sum(t.score for t in tests.values()) == _varied_points(own[sid], neighbour) + 1, sid


# -------------------------------------------------------------------------------------------
# through the real command, with a roster and a throwaway secret


def _notebook(variants_course, source: str) -> nbformat.NotebookNode:
    """The released notebook with one cell appended that sets the answers."""
    nb = nbformat.read(variants_course.notebooks / f"{NAME}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


def _literal(answers: dict) -> str:
    return "\n".join(f"{name} = {value!r}" for name, value in answers.items())


def _grade(variants_course, folder: Path, out: Path, *extra: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--assignment", NAME, "--submissions", str(folder),
         "--out", str(out), "--autograder", str(variants_course.dist / f"{NAME}.zip"), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip


def _rows(out: Path) -> dict:
    with open(out / "grades.csv", newline="") as f:
        return {r["file"]: r for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def graded_with_roster(variants_course, tmp_path_factory):
    """One batch: Alice's solution, Bob's own literal answers, Alice handing in Bob's answers,
    Alice forging Bob's code in a cell, Alice handing in the leaked master key, and Carol (not
    on the roster) handing in the master key."""
    tmp = tmp_path_factory.mktemp("variants-roster")
    secret_file = tmp / "secret"
    secret_file.write_text(SECRET + "\n")
    a, b = "s0001", "s0002"
    mine_a, mine_b, key = _right_answers(SECRET, a), _right_answers(SECRET, b), _right_answers(None, None)
    assert mine_a != mine_b, "pick two ids whose numbers differ"
    folder = tmp / "subs"
    folder.mkdir()
    solution = nbformat.read(variants_course.dist / NAME / f"{NAME}.ipynb", as_version=4)
    nbformat.write(solution, folder / "alice_solution.ipynb")  # computes with the roster's id
    for file, answers in (("bob_own", mine_b), ("alice_copied_bob", mine_b), ("alice_key", key), ("carol_key", key)):
        nbformat.write(_notebook(variants_course, _literal(answers)), folder / f"{file}.ipynb")
    forged = (
        f"import mlsys_lab as ml\nml.variants.configure({variants.personal_code(SECRET, b)!r}, {NAME!r})\n"
        "budget = ml.variants.draw('runs', master={'weeks': 10, 'run_hours': 36}, weeks=ml.variants.span(4, 20),"
        " run_hours=ml.variants.choose(12, 18, 24, 30, 36, 48, 60, 72))\n"
        "runs_answer = ml.iteration.experiments_in_window(ml.Q_(budget['weeks'], 'week'), ml.Q_(budget['run_hours'], 'hour'))\n"
        "pick_answer = ml.variants.letter('pick', 'B')\nsame_answer = True"
    )
    nbformat.write(_notebook(variants_course, forged), folder / "alice_forged_code.ipynb")
    roster = tmp / "roster.csv"
    roster.write_text(
        "file,student_id,name\n"
        f"alice_solution.ipynb,{a},Alice\nbob_own.ipynb,{b},Bob\nalice_copied_bob.ipynb,{a},Alice\n"
        f"alice_forged_code.ipynb,{a},Alice\nalice_key.ipynb,{a},Alice\n"
    )
    out = tmp / "out"
    proc = _grade(variants_course, folder, out, "--roster", str(roster), "--secret-file", str(secret_file))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return SimpleNamespace(out=out, rows=_rows(out), stdout=proc.stdout, mine_a=mine_a, mine_b=mine_b, key=key)


@pytest.mark.slow  # grades a class through `grade`: in make test, not test-fast
def test_each_student_is_graded_on_their_own_numbers(graded_with_roster):
    g = graded_with_roster
    rows = g.rows
    copied = _varied_points(g.mine_a, g.mine_b) + 1
    assert float(rows["alice_solution.ipynb"]["total_points_earned"]) == 4
    assert float(rows["bob_own.ipynb"]["total_points_earned"]) == 4
    assert float(rows["alice_copied_bob.ipynb"]["total_points_earned"]) == copied
    assert float(rows["alice_forged_code.ipynb"]["total_points_earned"]) == copied
    feedback = (g.out / "feedback" / "alice_copied_bob.ipynb.md").read_text()
    section = feedback.split("## runs:")[1].split("## ")[0]
    assert not re.search(rf"\b{g.mine_a['runs_answer']:g}\b", section.split("\n", 1)[1]), section  # no expected value
    assert "bob" not in feedback.lower().replace("alice_copied_bob", "")  # nor whose numbers


@pytest.mark.slow  # grades a class through `grade`: in make test, not test-fast
def test_a_leaked_master_key_earns_no_varied_point(graded_with_roster):
    """On the roster: the key earns only where the student's own numbers happen to give the
    master's answer. Not on the roster: 0 on every varied question, and the row and the summary
    say why; the question that is the same for everyone is scored as usual."""
    g = graded_with_roster
    alice = g.rows["alice_key.ipynb"]
    assert float(alice["total_points_earned"]) == _varied_points(g.mine_a, g.key) + 1
    carol = g.rows["carol_key.ipynb"]
    assert (float(carol["runs"]), float(carol["pick"]), float(carol["same"])) == (0, 0, 1)
    assert "not on the roster" in carol["grading_status"] and "runs, pick scored 0" in carol["grading_status"]
    assert "1 file(s) not on the roster scored 0 on runs, pick: carol_key.ipynb" in g.stdout
    feedback = (g.out / "feedback" / "carol_key.ipynb.md").read_text()
    assert "scored 0: this question has numbers of your own" in feedback


@pytest.mark.slow  # grades a class through `grade`: in make test, not test-fast
def test_without_a_roster_varied_questions_score_0_and_say_why(variants_course, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    nbformat.write(nbformat.read(variants_course.dist / NAME / f"{NAME}.ipynb", as_version=4), folder / "x.ipynb")
    proc = _grade(variants_course, folder, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-3000:]
    row = _rows(tmp_path / "out")["x.ipynb"]
    assert float(row["total_points_earned"]) == 1 and "no roster was given" in row["grading_status"]
    assert "no --roster, so runs, pick scored 0 in every row" in proc.stdout
    # the instructor may ask for the master's numbers, and every row says so
    proc = _grade(variants_course, folder, tmp_path / "master", "--master-numbers")
    row = _rows(tmp_path / "master")["x.ipynb"]
    assert float(row["total_points_earned"]) == 4 and "graded on the master's numbers" in row["grading_status"]


def test_a_roster_without_the_secret_is_refused(variants_course, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    nbformat.write(nbformat.read(variants_course.notebooks / f"{NAME}.ipynb", as_version=4), folder / "x.ipynb")
    roster = tmp_path / "roster.csv"
    roster.write_text("file,student_id\nx.ipynb,s0001\n")
    env = {k: v for k, v in os.environ.items() if k != "MLSYS_VARIANTS_SECRET_FILE"}
    proc = _grade(variants_course, folder, tmp_path / "out", "--roster", str(roster), env=env)
    assert proc.returncode == 1 and "--secret-file" in proc.stderr and "MLSYS_VARIANTS_SECRET_FILE" in proc.stderr


def test_a_secret_the_sandbox_could_read_is_refused(tmp_path):
    """The grader refuses a secret file inside what the sandboxed notebook sees (the Python
    installation, the virtual environment, the course package)."""
    from autograder.grading.cli import GradeError, _secret

    inside = Path(sys.prefix) / f".h1-test-secret-{os.getpid()}"
    inside.write_text(SECRET + "\n")
    try:
        with pytest.raises(GradeError, match="outside the folders the sandboxed notebook reads"):
            _secret(inside)
    finally:
        inside.unlink()
    outside = tmp_path / "secret"
    outside.write_text(SECRET + "\n")
    assert _secret(outside) == SECRET
    outside.write_text("short\n")
    with pytest.raises(GradeError, match="at least 16 characters"):
        _secret(outside)


def test_the_released_setup_cell_says_what_is_wrong_with_a_typo(tmp_path):
    """The first cell of a released notebook, run as a student runs it (IPython), with a code
    whose last character is mistyped, then with the right code."""
    from autograder.common.conventions import is_setup_cell

    nb = nbformat.read(ROOT / "notebooks" / "01_ml_lifecycle.ipynb", as_version=4)
    setup = next(c.source for c in nb.cells if c.cell_type == "code" and is_setup_cell(c.source))
    code = variants.personal_code(SECRET, "s1001")
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    script = (
        "import sys\nfrom IPython.core.interactiveshell import InteractiveShell\nshell = InteractiveShell.instance()\n"
        "for code in sys.argv[1:]:\n"
        f"    shell.run_cell({setup!r}.replace('PERSONAL_CODE = \"\"', f'PERSONAL_CODE = {{code!r}}'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, typo, code], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, env=dict(os.environ, MPLBACKEND="Agg"))  # fmt: skip
    out = proc.stdout
    assert "has a typo" in out and "Until it is fixed, exercises show the master's numbers" in out, out + proc.stderr
    assert f"Personal code {code}: the exercises below show your own numbers" in out, out + proc.stderr
