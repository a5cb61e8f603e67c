"""Export the chapter masters into an nbgrader course directory.

For a course that grades with nbgrader instead of otter, this writes, from the same masters
``assign`` reads (through :func:`autograder.authoring.assign.read_master`)::

    COURSEDIR/nbgrader_config.py
    COURSEDIR/source/NN_topic/NN_topic.ipynb   nbgrader source notebook (solutions, all tests)
    COURSEDIR/source/NN_topic/mlsys_lab/       the course package, released with the notebook

How otter's markup becomes nbgrader's cell model:

* a solution line ``q1_answer = "C"  # SOLUTION`` becomes an **autograded answer** cell whose
  value sits in a ``# BEGIN SOLUTION`` / ``# END SOLUTION`` region; with the code stub ``...``
  set in ``nbgrader_config.py`` the student sees ``q1_answer = (...)``, as with otter;
* a question's tests become **autograder tests** cells worth the question's points: the public
  format checks are visible, the hidden checks sit between ``### BEGIN HIDDEN TESTS`` and
  ``### END HIDDEN TESTS`` (one cell per hidden test carrying points, as otter splits them);
* a ``manual: true`` question's Markdown solution (its rubric) becomes a **manually graded
  answer** cell (the student sees the text stub);
* otter's setup and hand-in cells are left out (nbgrader collects the notebook itself).

Usage: ``python -m autograder nbgrader --out COURSEDIR [NAME_OR_MASTER.md ...]``
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from autograder.authoring.assign import (
    HAND_IN_CELL,
    HAND_IN_MARKDOWN,
    ROOT,
    AssignError,
    read_master,
    resolve_masters,
)

COURSE_ID = "mlsys-lab"
CODE_STUB = "..."
TEXT_STUB = "_Type your answer here, replacing this text._"
from autograder.common.conventions import (  # noqa: E402
    SOLUTION_LINE,
    marker_and_body,
    notebook_metadata,
    released_cell_id,
)

ASSIGNMENT = re.compile(r"^(?P<target>[A-Za-z_][\w.\[\]'\" ]*?)\s*(?P<op>=|\+=|-=|\*=|/=)\s*(?P<value>.+)$")
TEST_CONFIG = re.compile(
    r'^\s*"""\s*#\s*BEGIN TEST CONFIG\s*\n(?P<config>.*?)\n\s*"""\s*#\s*END TEST CONFIG\s*\n', re.S
)

NBGRADER_CONFIG = '''\
"""nbgrader configuration of the MLSys Lab course (written by `python -m autograder nbgrader`).

Run nbgrader from this folder, e.g. `nbgrader generate_assignment 01_ml_lifecycle`, then
`nbgrader autograde 01_ml_lifecycle` once submissions are in submitted/<student>/<assignment>/.
"""

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "{course_id}"

# Solutions are regions `# BEGIN SOLUTION` / `# END SOLUTION` (understood by otter too);
# a student sees `...` where the answer goes, as in the otter notebooks.
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.code_stub = {{"python": "{code_stub}"}}
c.ClearSolutions.text_stub = "{text_stub}"

# Hidden checks live between `### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`.
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# The first cell imports pint and numpy: allow more than nbgrader's 30 s default per cell.
c.Execute.timeout = 120
'''


class ExportError(RuntimeError):
    """A master could not be exported."""


@dataclass
class Question:
    name: str
    points: float = 0.0
    manual: bool = False
    all_or_nothing: bool = False
    tests: list = field(default_factory=list)
    answer_cells: int = 0
    manual_cell: bool = False


@dataclass
class TestCase:
    function: str
    params: list
    code: str  # the function definition
    hidden: bool
    points: float | None


def nbgrader_meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = float(points or 0)
    return meta


def _is_pipeline_cell(cell) -> bool:
    """Cells ``read_master`` adds for otter that an nbgrader notebook does without."""
    source = cell.source.strip()
    if cell.cell_type == "raw" and source.startswith("# ASSIGNMENT CONFIG"):
        return True
    if cell.cell_type == "code" and source.startswith("# Setup: run this cell first"):
        return True
    if cell.cell_type == "code" and source == HAND_IN_CELL.strip():
        return True
    return cell.cell_type == "markdown" and source == HAND_IN_MARKDOWN.strip()


def solution_regions(source: str) -> tuple[str, bool]:
    """Turn otter's ``... # SOLUTION`` lines into nbgrader solution regions."""
    out, changed = [], False
    for line in source.split("\n"):
        m = SOLUTION_LINE.match(line)
        if not m or not m.group("body").strip():
            if re.search(r"#\s*(BEGIN|END) SOLUTION", line):
                changed = True
            out.append(line)
            continue
        changed = True
        indent, body = m.group("indent"), m.group("body")
        a = ASSIGNMENT.match(body)
        if a:
            out += [
                f"{indent}{a.group('target')} {a.group('op')} (",
                f"{indent}    # BEGIN SOLUTION",
                f"{indent}    {a.group('value')}",
                f"{indent}    # END SOLUTION",
                f"{indent})",
            ]
        else:
            out += [f"{indent}# BEGIN SOLUTION", f"{indent}{body}", f"{indent}# END SOLUTION"]
    return "\n".join(out), changed


def parse_test(source: str, question: str) -> list[TestCase]:
    """The exception-based test functions of one test cell of a master."""
    import yaml

    config = {}
    m = TEST_CONFIG.match(source)
    if m:
        config = yaml.safe_load(m.group("config")) or {}
        source = source[m.end() :]
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ExportError(f"{question}: a test cell is not valid Python ({exc})") from exc
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if not functions:
        raise ExportError(f"{question}: a test cell defines no test function (tests must be exception-based)")
    cases = []
    for fn in functions:
        code = ast.get_source_segment(source, fn) or ""
        cases.append(
            TestCase(
                function=fn.name,
                params=[a.arg for a in fn.args.args],
                code=code,
                hidden=bool(config.get("hidden", False)),
                points=config.get("points"),
            )
        )
    return cases


def _resolve_points(question: Question) -> list[float]:
    """Points of each test case, resolved the way otter does."""
    from otter.test_files.abstract_test import TestCase as OtterCase
    from otter.test_files.abstract_test import TestFile

    cases = [OtterCase(c.function, None, c.hidden, c.points, None, None) for c in question.tests]
    total = question.points if question.points else None
    return [float(c.points) for c in TestFile.resolve_test_file_points(total, cases)]


def _call(case: TestCase) -> str:
    args = ", ".join("globals()" if p == "env" else p for p in case.params)
    return f"{case.function}({args})"


def test_cells(question: Question) -> list:
    """The nbgrader autograder-test cells of one question."""
    import nbformat

    points = _resolve_points(question)
    public = [c for c in question.tests if not c.hidden]
    public_code = "".join(f"{c.code}\n\n{_call(c)}\n" for c in public)
    header = f"# Checks for {question.name}. Run this cell to check the format of your answer."
    graded = [(c, p) for c, p in zip(question.tests, points) if c.hidden and p > 0]
    graded_public = [(c, p) for c, p in zip(question.tests, points) if not c.hidden and p > 0]

    def hidden_block(cases):
        body = "".join(f"{c.code}\n\n{_call(c)}\n" for c in cases)
        return f"### BEGIN HIDDEN TESTS\n{body}### END HIDDEN TESTS\n"

    cells = []
    if question.all_or_nothing or not graded and not graded_public:
        hidden = [c for c in question.tests if c.hidden]
        source = f"{header}\n{public_code}" + (hidden_block(hidden) if hidden else "")
        total = sum(points)
        meta = nbgrader_meta(f"{question.name}-tests", grade=total > 0, locked=True, points=total)
        cells.append(nbformat.v4.new_code_cell(source.rstrip(), metadata={"nbgrader": meta}))
        return cells
    public_points = sum(p for _, p in graded_public)
    for index, (case, pts) in enumerate(graded):
        source = f"{header}\n{public_code}" if index == 0 else f"# Hidden checks for {question.name}.\n"
        source += hidden_block([case])
        if index == 0:
            pts += public_points
        grade_id = f"{question.name}-tests" + (f"-{index + 1}" if index else "")
        cells.append(
            nbformat.v4.new_code_cell(
                source.rstrip(), metadata={"nbgrader": nbgrader_meta(grade_id, grade=True, locked=True, points=pts)}
            )
        )
    if not graded:  # only public cases carry points
        source = f"{header}\n{public_code}"
        meta = nbgrader_meta(f"{question.name}-tests", grade=True, locked=True, points=public_points)
        cells.append(nbformat.v4.new_code_cell(source.rstrip(), metadata={"nbgrader": meta}))
    return cells


def convert(master: Path):
    """The nbgrader source notebook of one master."""
    import nbformat
    import yaml

    try:
        otter_nb = read_master(master)
    except AssignError as exc:
        raise ExportError(str(exc)) from exc
    cells, question, mode = [], None, None
    for cell in otter_nb.cells:
        if _is_pipeline_cell(cell):
            continue
        keyword, rest = marker_and_body(cell)
        if keyword == "BEGIN QUESTION":
            config = yaml.safe_load(rest) or {}
            question = Question(
                name=str(config["name"]),
                points=float(config.get("points") or 0),
                manual=bool(config.get("manual", False)),
                all_or_nothing=bool(config.get("all_or_nothing", False)),
            )
            continue
        if keyword in ("BEGIN SOLUTION", "BEGIN TESTS", "BEGIN PROMPT"):
            if question is None:
                raise ExportError(f"{master.name}: '# {keyword}' outside a question")
            mode = keyword.split()[1].lower()
            continue
        if keyword == "END TESTS":
            cells += test_cells(question)
            mode = None
            continue
        if keyword in ("END SOLUTION", "END PROMPT"):
            mode = None
            continue
        if keyword == "END QUESTION":
            if question.manual and not question.manual_cell:
                meta = nbgrader_meta(question.name, grade=True, solution=True, points=question.points)
                cells.append(nbformat.v4.new_markdown_cell(TEXT_STUB, metadata={"nbgrader": meta}))
            question = None
            continue
        if mode == "tests":
            if cell.cell_type == "code":
                question.tests += parse_test(cell.source, question.name)
            continue
        if mode == "prompt":
            continue  # nbgrader shows its own stub where the answer goes
        if mode == "solution":
            if cell.cell_type == "markdown" and question.manual and not question.manual_cell:
                meta = nbgrader_meta(question.name, grade=True, solution=True, points=question.points)
                question.manual_cell = True
                cells.append(nbformat.v4.new_markdown_cell(cell.source, metadata={"nbgrader": meta}))
                continue
            if cell.cell_type == "code":
                source, changed = solution_regions(cell.source)
                if changed:
                    question.answer_cells += 1
                    suffix = f"-{question.answer_cells}" if question.answer_cells > 1 else ""
                    meta = nbgrader_meta(f"{question.name}-answer{suffix}", solution=True)
                    cells.append(nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta}))
                    continue
            cells.append(_plain(cell))
            continue
        cells.append(_plain(cell))
    if question is not None:
        raise ExportError(f"{master.name}: question {question.name} has no '# END QUESTION'")
    cells.append(
        nbformat.v4.new_markdown_cell(
            "## Hand in\n\nSave the notebook (**File → Save**), run **Kernel → Restart & Run All** to check "
            "that every cell runs, then submit it from the **Assignments** tab."
        )
    )
    nb = nbformat.v4.new_notebook(cells=cells)
    for index, cell in enumerate(nb.cells):
        cell["id"] = released_cell_id(index)
    nb.metadata = notebook_metadata()
    return nb


def _plain(cell):
    import nbformat

    if cell.cell_type == "code":
        return nbformat.v4.new_code_cell(cell.source)
    if cell.cell_type == "markdown":
        return nbformat.v4.new_markdown_cell(cell.source)
    return nbformat.v4.new_raw_cell(cell.source)


def write_config(course: Path) -> Path:
    path = course / "nbgrader_config.py"
    path.write_text(
        NBGRADER_CONFIG.format(course_id=COURSE_ID, code_stub=CODE_STUB, text_stub=TEXT_STUB), encoding="utf-8"
    )
    return path


def export(master_paths: list[Path], course: Path, package: bool = True) -> list[Path]:
    """Write ``course/source/NAME/NAME.ipynb`` for every master, and the course config."""
    from autograder.authoring.assign import write_notebook

    course.mkdir(parents=True, exist_ok=True)
    write_config(course)
    written = []
    for master in master_paths:
        name = master.stem
        folder = course / "source" / name
        nb = convert(master)
        write_notebook(nb, folder / f"{name}.ipynb")
        if package:
            target = folder / "mlsys_lab"
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(
                ROOT / "mlsys_lab", target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "public_tests")
            )
        written.append(folder / f"{name}.ipynb")
    return written


def resolve(names: list[str]) -> list[Path]:
    """Master files from names (``01_ml_lifecycle``) or paths (``tests/fixtures/99_fixture.md``)."""
    try:
        return resolve_masters(names)
    except AssignError as exc:
        raise ExportError(str(exc)) from exc


def main(argv=None) -> int:
    from autograder.__main__ import program

    parser = argparse.ArgumentParser(prog=f"{program()} nbgrader", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="masters to export (default: all), by name or .md path")
    parser.add_argument("--out", required=True, type=Path, help="the nbgrader course directory to write")
    parser.add_argument("--no-package", action="store_true", help="do not copy mlsys_lab next to each notebook")
    args = parser.parse_args(argv)
    try:
        written = export(resolve(args.names), args.out, package=not args.no_package)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"exported {path}")
    print(f"config: {args.out / 'nbgrader_config.py'}")
    return 0
