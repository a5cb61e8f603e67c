"""Every chapter notebook, end to end: current, leak-free, and graded as a teacher expects.

For each master in ``solutions/`` a fresh build (``built_course``) must match what is committed,
and its autograder must give the solution full marks, the released notebook zero, a submission
with one wrong letter exactly that question's points less, and a submission whose answers are
"equal to everything" zero.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from autograder.assign import masters
from helpers import ROOT, grade, question_points, secrets_of

pytestmark = pytest.mark.slow

MASTER_NAMES = [m.stem for m in masters()]
ANSWER_LINE = re.compile(r"^(\w+_answer)\s*=\s*(.+?)\s*$", re.M)
LETTER_ANSWER = re.compile(r'^(\w+_answer)\s*=\s*"([A-D])"\s*(?:#.*)?$', re.M)


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
    orphans += [p.name for p in (ROOT / "mlsys_lab" / "public_tests").iterdir() if p.is_dir() and p.name not in MASTER_NAMES]
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


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_solution_earns_full_marks(built_course, name, tmp_path):
    results = grade(solution_notebook(built_course, name), built_course.dist / f"{name}.zip", tmp_path, "solution")
    possible = sum(question_points(built_course.dist / name / "tests").values())
    assert results.possible == pytest.approx(possible)
    assert results.total == pytest.approx(possible), results.summary()


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_released_notebook_earns_zero(built_course, name, tmp_path):
    results = grade(student_notebook(built_course, name), built_course.dist / f"{name}.zip", tmp_path, "blank")
    assert results.possible > 0
    assert results.total == 0, results.summary()


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_one_wrong_letter_loses_exactly_its_points(built_course, name, tmp_path):
    nb = solution_notebook(built_course, name)
    points = question_points(built_course.dist / name / "tests")
    for cell in nb.cells:
        match = LETTER_ANSWER.search(cell.source) if cell.cell_type == "code" else None
        if match:
            variable, letter = match.groups()
            wrong = "A" if letter != "A" else "B"
            cell.source = cell.source.replace(match.group(0), f'{variable} = "{wrong}"')
            question = variable[: -len("_answer")]
            break
    else:
        pytest.fail(f"{name} has no multiple-choice answer to get wrong")
    results = grade(nb, built_course.dist / f"{name}.zip", tmp_path, "one-wrong")
    assert results.total == pytest.approx(sum(points.values()) - points[question]), results.summary()


ALWAYS_EQUAL = '''
class AlwaysEqual(str):
    """Claims to equal anything, and to be a string."""
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = str.__hash__
    def __float__(self): return 0.0
'''


@pytest.mark.parametrize("name", MASTER_NAMES)
def test_always_equal_answers_earn_nothing(built_course, name, tmp_path):
    nb = solution_notebook(built_course, name)
    replaced = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and ANSWER_LINE.search(cell.source):
            cell.source, count = ANSWER_LINE.subn(r"\1 = AlwaysEqual()", cell.source)
            replaced += count
    assert replaced, f"{name} has no answer variables"
    nb.cells.insert(1, nbformat.v4.new_code_cell(ALWAYS_EQUAL))
    results = grade(nb, built_course.dist / f"{name}.zip", tmp_path, "always-equal")
    assert results.total == 0, results.summary()
