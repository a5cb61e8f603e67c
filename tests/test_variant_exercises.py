"""Every chapter exercise that varies per student is well posed for every student.

For each master, the notebook the pipeline builds (options shuffled, variant cells copied into
the tests) is run once in this process with the master's numbers. Then, for many roster ids,
each varying question's variant cell and solution are run again with that student's draw, and
its tests (public and hidden) are run the way the grader runs them: each test file in a module of
its own, so a variant cell that leans on a notebook variable fails here as it would in grading.

Checked for every id: the student's own solution passes every test, and a numeric answer is
finite. Checked over the class: each exercise has enough distinct variants, and another
student's answers do not pass where they differ.
"""

from __future__ import annotations

import ast
import builtins
import math
import os
import warnings

import pytest

from autograder.assign import course_salt, masters, read_master
from autograder.conventions import is_setup_cell, otter_marker, question_name
from mlsys_lab import variants

IDS = [f"s{i:05d}" for i in range(300)]
MIN_DISTINCT = 40  # distinct variants an exercise must allow (and show among the ids above)


class Question:
    def __init__(self, name: str):
        self.name = name
        self.variant_cells: list[str] = []
        self.solution_cells: list[str] = []
        self.test_cells: list[str] = []


def _code(source: str) -> str:
    """A cell's Python without IPython magics and shell lines."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


def _structure(nb) -> tuple[list[str], dict[str, Question]]:
    """The notebook's code cells in order (setup cell replaced by the import), and each
    question's variant, solution and test cells."""
    cells, questions = [], {}
    question, region = None, None
    for cell in nb.cells:
        marker = otter_marker(cell)
        if marker:
            verb, what = marker.split()
            if what == "QUESTION":
                name = question_name(cell)
                question = Question(name) if verb == "BEGIN" and name else None
                if question:
                    questions[question.name] = question
            region = what if verb == "BEGIN" and what != "QUESTION" else None
            continue
        if cell.cell_type != "code" or "otter_ignore" in cell.metadata.get("tags", []):
            continue
        if is_setup_cell(cell.source):
            cells.append("import mlsys_lab as ml")
            continue
        if region == "TESTS":
            question.test_cells.append(cell.source)
            continue
        cells.append(_code(cell.source))
        if question and "variant" in cell.metadata.get("tags", []):
            question.variant_cells.append(_code(cell.source))
        elif question and region == "SOLUTION":
            question.solution_cells.append(_code(cell.source))
    return cells, {q: v for q, v in questions.items() if v.variant_cells}


def _run_tests(question: Question, namespace: dict) -> list[str]:
    """Run the question's tests as the grader does; return the failures."""
    failures = []
    for source in question.test_cells:
        module = {"__builtins__": builtins, "__name__": "test_module"}
        exec(compile(source, f"<tests of {question.name}>", "exec"), module)
        for name, function in list(module.items()):
            if not name.startswith("test_") or not callable(function):
                continue
            arguments = function.__code__.co_varnames[: function.__code__.co_argcount]
            try:
                function(*(namespace.get(a) for a in arguments))
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                failures.append(f"{name}: {type(exc).__name__}: {exc}")
    return failures


def _answers(question: Question, namespace: dict) -> dict:
    names = set()
    for source in question.test_cells:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names |= {a.arg for a in node.args.args}
    return {n: namespace.get(n) for n in sorted(names)}


def _finite(value) -> bool:
    magnitude = getattr(value, "magnitude", value)
    if isinstance(magnitude, bool) or not isinstance(magnitude, (int, float)):
        return True
    return math.isfinite(magnitude)


def _drawn(question: Question, namespace: dict) -> tuple:
    """The values this student drew for the question (its Variant objects)."""
    found = []
    for source in question.variant_cells:
        for node in ast.parse(source).body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    value = namespace.get(getattr(target, "id", None))
                    if isinstance(value, variants.Variant):
                        found.append((value.possible, tuple(sorted(value.items()))))
    return tuple(found)


@pytest.fixture(scope="module")
def salt() -> str:
    return course_salt()


def _master_run(master) -> tuple[dict, dict[str, Question]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nb = read_master(master)
    cells, questions = _structure(nb)
    variants.configure(None, None)
    namespace: dict = {"__name__": "__main__"}
    cwd = os.getcwd()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for source in cells:
            exec(compile(source, f"<{master.stem}>", "exec"), namespace)
            plt.close("all")
    os.chdir(cwd)
    return namespace, questions


@pytest.mark.slow
@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_every_student_variant_is_well_posed_and_graded_right(master, salt, capsys):
    namespace, questions = _master_run(master)
    numeric = [q for q in questions.values() if any("variants.draw" in s for s in q.variant_cells)]
    assert numeric, f"{master.stem}: no napkin exercise draws its numbers per student"
    seen: dict[str, set] = {q.name: set() for q in numeric}
    answers_by_id: dict[str, dict] = {}
    problems = []
    for student in IDS:
        variants.configure(salt, master.stem, student)
        for question in questions.values():
            mine = dict(namespace)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for source in question.variant_cells + question.solution_cells:
                    exec(compile(source, f"<{question.name}>", "exec"), mine)
            capsys.readouterr()
            failures = _run_tests(question, mine)
            answers = _answers(question, mine)
            if failures:
                problems.append(f"{student} {question.name}: {failures[0]}")
            if not all(_finite(v) for v in answers.values()):
                problems.append(f"{student} {question.name}: answer not finite: {answers}")
            if question in numeric:
                seen[question.name].add(_drawn(question, mine))
                answers_by_id.setdefault(student, {})[question.name] = (answers, mine)
    variants.configure(None, None)
    assert not problems, f"{len(problems)} failures, e.g. {problems[:5]}"

    for question in numeric:
        possible = {draw[0] for drawn in seen[question.name] for draw in drawn}
        assert min(possible) >= MIN_DISTINCT, f"{question.name}: only {min(possible)} variants possible"
        assert len(seen[question.name]) >= min(MIN_DISTINCT, len(IDS) // 2), (
            f"{question.name}: {len(seen[question.name])} distinct draws among {len(IDS)} students"
        )


@pytest.mark.slow
@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_a_neighbours_answers_fail_where_they_differ(master, salt, capsys):
    """Student B hands in student A's numbers: B's hidden tests pass only where the two draws
    give the same answer."""
    namespace, questions = _master_run(master)
    numeric = [q for q in questions.values() if any("variants.draw" in s for s in q.variant_cells)]
    differing = caught = 0
    for first, second in zip(IDS[:40:2], IDS[1:40:2]):
        for question in numeric:
            runs = {}
            for student in (first, second):
                variants.configure(salt, master.stem, student)
                mine = dict(namespace)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    for source in question.variant_cells + question.solution_cells:
                        exec(compile(source, f"<{question.name}>", "exec"), mine)
                runs[student] = mine
            capsys.readouterr()
            theirs = _answers(question, runs[first])
            own = _answers(question, runs[second])
            if theirs == own:
                continue
            differing += 1
            variants.configure(salt, master.stem, second)
            copied = {**runs[second], **theirs}
            caught += bool(_run_tests(question, copied))
    variants.configure(None, None)
    assert differing, f"{master.stem}: two students never get different answers"
    assert caught >= 0.9 * differing, f"{master.stem}: copied answers pass {differing - caught} of {differing} times"


@pytest.mark.slow
@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_a_class_of_200_is_scored_right_by_the_grader(built_course, master, salt, capsys):
    """The grader's own scoring stage (the autograder zip's tests, in a clean process like the
    grader's) gives each of 200 students full marks for their own answers, and student B, handed
    student A's answers, exactly the points of the items where A's answers are B's too, and none
    of a shuffled item whose letter differs."""
    from autograder.grading.answers import encode
    from autograder.grading.score import Scorer, load_assignment
    from mlsys_lab.units import ureg

    zip_path = built_course.dist / f"{master.stem}.zip"
    scorer, assignment = Scorer(zip_path), load_assignment(zip_path)
    quantity = type(ureg.Quantity(1, ""))
    namespace, questions = _master_run(master)
    class_answers = {}
    for student in IDS[:200]:
        variants.configure(salt, master.stem, student)
        mine = dict(namespace)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for question in questions.values():
                for source in question.variant_cells + question.solution_cells:
                    exec(compile(source, f"<{question.name}>", "exec"), mine)
        capsys.readouterr()
        class_answers[student] = {n: mine.get(n) for n in scorer.names}
        tests, _, _ = scorer.score(encode(mine, scorer.names, quantity), student)
        lost = {q: s.score for q, s in tests.items() if s.score < assignment.points[q]}
        assert not lost, f"{student}: own answers lose points on {lost}"
    variants.configure(None, None)

    drawn_differ = drawn_failed = 0
    for first, second in zip(IDS[:40:2], IDS[1:40:2]):
        theirs = class_answers[first]
        tests, _, _ = scorer.score(encode(theirs, scorer.names, quantity), second)
        for question, score in tests.items():
            names = assignment.answers[question]
            same = all(theirs[n] == class_answers[second][n] for n in names)
            if same:
                assert score.score == assignment.points[question], (first, second, question)
            elif question in assignment.shuffled:
                assert score.score == 0, (first, second, question)
            else:
                drawn_differ += 1
                drawn_failed += score.score < assignment.points[question]
    variants.configure(None, None)
    assert drawn_failed >= 0.9 * drawn_differ, f"{drawn_differ - drawn_failed} of {drawn_differ} copied answers pass"
