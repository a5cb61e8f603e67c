"""Every chapter notebook, end to end: current, leak-free, and graded as a teacher expects.

For each master in ``solutions/`` a fresh build (``built_course``) must match what is committed,
and the course's sandboxed grader must give the solution full marks and the released notebook
zero (per question, exactly what otter's own grader gives them), a submission with one wrong
letter exactly that question's points less, and a submission whose answers are "equal to
everything" zero.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import subprocess
import sys
import zipfile
from functools import partial
from pathlib import Path

import nbformat
import pytest
from conftest import build_once
from helpers import ROOT, grade, question_points, secrets_of

from autograder.authoring.assign import masters

ISOLATED = "isolated (bwrap: checked user+mnt+pid+net+ipc+uts namespaces, no_new_privs, no network, no host files)"
"""The short form of the probe's record that ends every status graded in bubblewrap (issue 20 item 2)."""

pytestmark = pytest.mark.slow

MASTER_NAMES = [m.stem for m in masters()]
ANSWER_LINE = re.compile(r"^(\w+_answer)\s*=\s*(.+?)\s*$", re.M)
# a multiple-choice answer: a letter, or (options shuffled per student) the student's letter of one
LETTER_ANSWER = re.compile(
    r'^(\w+_answer)\s*=\s*(?:"([A-D])"|(ml\.variants\.letter\("\w+", )"([A-D])"(, \d\)))\s*(?:#.*)?$', re.M
)
ROSTER = {
    "solution.ipynb": "s1001",
    "released.ipynb": "s1002",
    "one_wrong.ipynb": "s1003",
    "always_equal.ipynb": "s1004",
    "solution_s1005.ipynb": "s1005",
}


# -------------------------------------------------------------------------------------------
# helpers


def solution_notebook(built, name) -> nbformat.NotebookNode:
    return nbformat.read(built.dist / name / f"{name}.ipynb", as_version=4)


def student_notebook(built, name) -> nbformat.NotebookNode:
    return nbformat.read(built.notebooks / f"{name}.ipynb", as_version=4)


# -------------------------------------------------------------------------------------------
# generated files are current


def test_masters_exist():
    assert MASTER_NAMES, "solutions/ holds no NN_topic.md master"


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_committed_student_notebook_is_current(built_course, name):
    fresh = (built_course.notebooks / f"{name}.ipynb").read_text(encoding="utf-8")
    committed_path = ROOT / "notebooks" / f"{name}.ipynb"
    assert committed_path.exists(), f"notebooks/{name}.ipynb is missing: run `make assign` and commit it"
    assert committed_path.read_text(encoding="utf-8") == fresh, (
        f"notebooks/{name}.ipynb differs from what solutions/{name}.md generates: run `make assign`"
    )


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_committed_public_tests_are_current(built_course, name):
    fresh = {p.name: p.read_text() for p in (built_course.public_tests / name).glob("*.py")}
    committed_dir = ROOT / "mlsys_lab" / "public_tests" / name
    committed = {p.name: p.read_text() for p in committed_dir.glob("*.py")}
    assert committed == fresh, f"mlsys_lab/public_tests/{name}/ is stale: run `make assign`"


def test_no_orphan_generated_files():
    """Every committed student notebook and public-test folder has a master."""
    orphans = [p.name for p in (ROOT / "notebooks").glob("*.ipynb") if p.stem not in MASTER_NAMES]
    orphans += [
        p.name for p in (ROOT / "mlsys_lab" / "public_tests").iterdir() if p.is_dir() and p.name not in MASTER_NAMES
    ]
    assert not orphans, f"generated files without a master in solutions/: {orphans}"


# -------------------------------------------------------------------------------------------
# nothing leaks to the student side


def student_side_text(name: str) -> str:
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    parts = [cell.source for cell in nb.cells]
    parts += [json.dumps(cell.get("outputs", [])) for cell in nb.cells]
    parts += [p.read_text() for p in (ROOT / "mlsys_lab" / "public_tests" / name).glob("*.py")]
    return "\n".join(parts)


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_student_side_holds_no_solution_or_hidden_test(built_course, name):
    secrets = secrets_of(ROOT / "solutions" / f"{name}.md", built_course.dist / name / "tests")
    assert secrets, "found no solutions or hidden tests to look for: is the master empty?"
    visible = student_side_text(name)
    leaked = [s for s in secrets if s in visible]
    assert not leaked, f"student side of {name} shows: {leaked[:5]}"


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_public_tests_only_check_format(name):
    for test in (ROOT / "mlsys_lab" / "public_tests" / name).glob("*.py"):
        source = test.read_text()
        assert "hidden=True" not in source, f"{test.name} carries a hidden test"
        assert "expect_" not in source, f"{test.name} compares with an expected value"
        assert re.findall(r"@test_case\(points=(\d+)", source) and all(
            p == "0" for p in re.findall(r"@test_case\(points=(\d+)", source)
        ), f"{test.name}: public checks must carry 0 points"


# -------------------------------------------------------------------------------------------
# grading behaviour


def _one_wrong_letter(nb) -> tuple[nbformat.NotebookNode, str]:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        match = LETTER_ANSWER.search(cell.source) if cell.cell_type == "code" else None
        if match:
            variable, literal, call, shuffled_key, tail = match.groups()
            letter = literal or shuffled_key
            wrong = "A" if letter != "A" else "B"
            value = f'"{wrong}"' if literal else f'{call}"{wrong}"{tail}'  # another option, in any order
            cell.source = cell.source.replace(match.group(0), f"{variable} = {value}")
            return nb, variable[: -len("_answer")]
    pytest.fail("no multiple-choice answer to get wrong")


ALWAYS_EQUAL = '''
class AlwaysEqual(str):
    """Claims to equal anything, and to be a string."""
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = str.__hash__
    def __float__(self): return 0.0
'''


def _always_equal(nb) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    replaced = 0
    from mlsys_lab.course.function_cases import REGISTRY

    function_exercise = re.compile(rf"^def ({'|'.join(REGISTRY)})\(")
    for cell in nb.cells:
        if cell.cell_type == "code" and ANSWER_LINE.search(cell.source):
            cell.source, count = ANSWER_LINE.subn(r"\1 = AlwaysEqual()", cell.source)
            replaced += count
        elif cell.cell_type == "code" and function_exercise.match(cell.source):  # a function returns one too
            name = function_exercise.match(cell.source).group(1)
            cell.source = f"def {name}(*args):\n    return AlwaysEqual()"
    assert replaced, "no answer variables"
    nb.cells.insert(1, nbformat.v4.new_code_cell(ALWAYS_EQUAL))
    return nb


def _grade_chapter(built, name: str, base: Path) -> None:
    """One chapter's solution, released notebook, one-wrong-letter and always-equal submissions,
    and the solution handed in by a second student, graded by ``python -m autograder grade``."""
    folder = base / "submissions"
    folder.mkdir(parents=True)
    solution = solution_notebook(built, name)
    nbformat.write(solution, folder / "solution.ipynb")
    nbformat.write(student_notebook(built, name), folder / "released.ipynb")
    wrong, question = _one_wrong_letter(solution)
    nbformat.write(wrong, folder / "one_wrong.ipynb")
    nbformat.write(_always_equal(solution), folder / "always_equal.ipynb")
    other = copy.deepcopy(solution)  # the same key, handed in by another student
    other.cells.append(nbformat.v4.new_markdown_cell("Handed in by another student."))
    nbformat.write(other, folder / "solution_s1005.ipynb")
    roster = base / "roster.csv"
    roster.write_text("file,student_id\n" + "".join(f"{f},{i}\n" for f, i in ROSTER.items()))
    secret = base / "variants-secret"  # a throwaway secret: each id's code, and numbers, come from it
    secret.write_text("a throwaway secret for the chapter tests\n")
    command = [
        sys.executable, "-m", "autograder", "grade", "--assignment", name,
        "--submissions", str(folder), "--out", str(base / "out"),
        "--autograder", str(built.dist / f"{name}.zip"), "--workers", "2",
        "--roster", str(roster), "--secret-file", str(secret),
    ]  # fmt: skip
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    (base / "wrong.json").write_text(json.dumps(question))


class _GradedChapters:
    """Chapter name -> (rows by file, the question one_wrong.ipynb gets wrong), each chapter
    graded on first use, once per test run even across xdist workers (conftest's file lock).
    Per chapter, not all at once: two workers grade two chapters side by side instead of one
    waiting for the other to grade all six."""

    def __init__(self, built, tmp_path_factory):
        self.built, self.tmp_path_factory, self.read = built, tmp_path_factory, {}

    def __getitem__(self, name: str) -> tuple[dict, str]:
        if name not in self.read:
            base = build_once(self.tmp_path_factory, f"graded-{name}", partial(_grade_chapter, self.built, name))
            with open(base / "out" / "grades.csv", newline="", encoding="utf-8") as f:
                rows = {row["file"]: row for row in csv.DictReader(f)}
            for row in json.loads((base / "out" / "results.json").read_text(encoding="utf-8"))["rows"]:
                rows[row["file"]]["answers"] = row["answers"]
            self.read[name] = rows, json.loads((base / "wrong.json").read_text())
        return self.read[name]


class _Column:
    """``graded[name][index]`` read as ``column[name]``: the tests unpack ``rows, wrong``."""

    def __init__(self, graded: _GradedChapters, index: int):
        self.graded, self.index = graded, index

    def __getitem__(self, name: str):
        return self.graded[name][self.index]


@pytest.fixture(scope="session")
def graded_chapters(built_course, tmp_path_factory):
    """(rows, wrong): ``rows[name]`` every chapter's graded submissions by file, ``wrong[name]``
    the question its one-wrong-letter submission gets wrong; a chapter is graded on first use."""
    graded = _GradedChapters(built_course, tmp_path_factory)
    return _Column(graded, 0), _Column(graded, 1)


def _scores(row: dict, questions) -> dict:
    return {q: float(row[q]) for q in questions}


@pytest.mark.parametrize("which", ["solution", "released"])
@pytest.mark.parametrize("name", MASTER_NAMES)
def test_scores_equal_otter_run_on_honest_submissions(built_course, graded_chapters, name, which, tmp_path):
    """The course's grader and otter's own (``otter run``'s code, in-process) agree on every
    question of the solution (full marks) and of the released notebook (zero)."""
    notebook = solution_notebook(built_course, name) if which == "solution" else student_notebook(built_course, name)
    otter_results = grade(notebook, built_course.dist / f"{name}.zip", tmp_path, which)
    points = question_points(built_course.dist / name / "tests")
    theirs = {q: float(otter_results.results[q].score) for q in points}
    rows, _ = graded_chapters
    row = rows[name][f"{which}.ipynb"]
    assert row["grading_status"] == f"Completed; {ISOLATED}", row
    assert _scores(row, points) == theirs
    expected = sum(points.values()) if which == "solution" else 0
    assert float(row["total_points_earned"]) == pytest.approx(expected)


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_one_wrong_letter_loses_exactly_its_points(built_course, graded_chapters, name):
    rows, wrong = graded_chapters
    points = question_points(built_course.dist / name / "tests")
    row = rows[name]["one_wrong.ipynb"]
    assert float(row["total_points_earned"]) == pytest.approx(sum(points.values()) - points[wrong[name]]), row
    assert float(row[wrong[name]]) == 0


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_two_students_get_their_own_numbers_and_order_and_full_marks(built_course, graded_chapters, name):
    """The same solution handed in by two roster ids: each is graded against its own draw (full
    marks for both), and their answers to the questions that vary differ."""
    rows, _ = graded_chapters
    points = question_points(built_course.dist / name / "tests")
    for file in ("solution.ipynb", "solution_s1005.ipynb"):
        assert rows[name][file]["grading_status"] == f"Completed; {ISOLATED}", rows[name][file]
        assert float(rows[name][file]["total_points_earned"]) == pytest.approx(sum(points.values()))
    first, second = rows[name]["solution.ipynb"]["answers"], rows[name]["solution_s1005.ipynb"]["answers"]
    variants = json.loads(zipfile.ZipFile(built_course.dist / f"{name}.zip").read("mlsys_variants.json"))
    assert variants["shuffled"], f"{name}: no multiple-choice item is shuffled"
    differ = [v for v in first if first[v] != second[v]]
    # with four options, two students share an item's key letter one time in four
    assert len(differ) >= len(variants["shuffled"]) // 3, (differ, variants)


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_always_equal_answers_earn_nothing(graded_chapters, name):
    rows, _ = graded_chapters
    row = rows[name]["always_equal.ipynb"]
    assert row["grading_status"].startswith("Completed") and float(row["total_points_earned"]) == 0, row
