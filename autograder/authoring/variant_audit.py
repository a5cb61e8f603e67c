"""``python -m autograder variants NN``: is every per-student exercise of a master well posed?

An author who marks an exercise's inputs as drawn (``ml.variants.draw``) or whose items are
shuffled wants to know, before a class sees it, that every student's draw has a right answer the
tests accept, and that students do not share answers. This command builds the master the way
``assign`` does (options shuffled, variant cells copied into the tests), runs it once with the
master's numbers, then for each of ``--ids`` roster ids runs every varying question's variant
and solution cells again with that student's draw, and that question's tests the way the grader
runs them (each test file in a module of its own).

It prints, per varying question: how many variants the draw allows, how many distinct draws and
distinct answers the ids got, and how often one student's answer is also right for the next
one (**copied right**: the chance a copied answer scores without work). It exits 1 if any
student's own solution fails a test or gives a non-finite number.

``tests/test_variant_exercises.py`` holds every chapter to these figures.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import io
import math
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..common.conventions import is_setup_cell, otter_marker, question_name
from .variant_tests import VARIANT_TAG


@dataclass
class Question:
    """One question's cells: the variant cells (the draw), the solution cells, the tests."""

    name: str
    variant_cells: list[str] = field(default_factory=list)
    solution_cells: list[str] = field(default_factory=list)
    test_cells: list[str] = field(default_factory=list)

    @property
    def drawn(self) -> bool:
        """Whether the question draws numbers (rather than only shuffling its options)."""
        return any("variants.draw" in source for source in self.variant_cells)

    @property
    def orders(self) -> int:
        """How many orders its options can take: n! for ``ml.variants.options(q, [n texts])``."""
        for source in self.variant_cells:
            for node in ast.walk(ast.parse(source)):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "attr", None) == "options"
                    and len(node.args) == 2
                    and isinstance(node.args[1], ast.List)
                ):
                    return math.factorial(len(node.args[1].elts))
        return 1


def _code(source: str) -> str:
    """A cell's Python without IPython magics and shell lines."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


def structure(nb, every: bool = False) -> tuple[list[str], dict[str, Question]]:
    """The notebook's code cells in order (the setup cell replaced by the import), and the
    questions that vary per student (``every``: all questions, as the wrong-method harness of
    :mod:`autograder.authoring.wrong_methods` needs), each with its variant, solution and test cells."""
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
        if question and VARIANT_TAG in cell.metadata.get("tags", []):
            question.variant_cells.append(_code(cell.source))
        elif question and region == "SOLUTION":
            question.solution_cells.append(_code(cell.source))
    return cells, {q: v for q, v in questions.items() if every or v.variant_cells}


def _quiet(sources: list[str], namespace: dict, label: str) -> None:
    """Run cells in ``namespace`` with warnings and printed output out of the way."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        for source in sources:
            exec(compile(source, f"<{label}>", "exec"), namespace)


def built_master(master: Path):
    """The master as ``assign`` builds it (otter fences split, options shuffled, variant cells
    copied into the tests) under an import of the course package, without what only a release
    needs (the site's address, the package pins of the repository): an installed tool audits a
    master given by its path, no checkout needed."""
    import nbformat

    from .assign import master_cells

    nb, nb.cells, _, _ = master_cells(master, nbformat.v4.new_code_cell("import mlsys_lab as ml"))
    return nb


def master_run(master: Path, every: bool = False) -> tuple[dict, dict[str, Question]]:
    """Run the built master once with the master's numbers; its namespace and varying questions
    (every question with ``every``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mlsys_lab.course import variants

    cells, questions = structure(built_master(master), every=every)
    variants.configure(None, None)
    namespace: dict = {"__name__": "__main__"}
    cwd = os.getcwd()
    try:
        for source in cells:
            _quiet([source], namespace, master.stem)
            plt.close("all")
    finally:
        os.chdir(cwd)
    return namespace, questions


def solve(namespace: dict, question: Question) -> dict:
    """A copy of ``namespace`` after the question's variant and solution cells ran, with the
    draw of the student :mod:`mlsys_lab.course.variants` is configured for."""
    mine = dict(namespace)
    _quiet(question.variant_cells + question.solution_cells, mine, question.name)
    return mine


def run_tests(question: Question, namespace: dict) -> list[str]:
    """Run the question's tests as the grader does (each file in a module of its own); return
    the failures."""
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


def answers(question: Question, namespace: dict) -> dict:
    """The answer variables the question's tests take, as ``namespace`` holds them."""
    names = set()
    for source in question.test_cells:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names |= {a.arg for a in node.args.args}
    return {n: namespace.get(n) for n in sorted(names)}


def finite(value) -> bool:
    """False only for a number (or a quantity's magnitude) that is NaN or infinite."""
    magnitude = getattr(value, "magnitude", value)
    if isinstance(magnitude, bool) or not isinstance(magnitude, (int, float)):
        return True
    return math.isfinite(magnitude)


def draws(question: Question, namespace: dict) -> tuple:
    """The values this student drew for the question: (variants possible, values) per draw."""
    from mlsys_lab.course import variants

    found = []
    for source in question.variant_cells:
        for node in ast.parse(source).body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    value = namespace.get(getattr(target, "id", None))
                    if isinstance(value, variants.Variant):
                        found.append((value.possible, tuple(sorted(value.items()))))
    return tuple(found)


@dataclass
class Spread:
    """What one varying question gave over a class of ids."""

    question: str
    drawn: bool
    possible: int = 1  # variants the draw allows (orders of the options, for a shuffled item)
    draws: set = field(default_factory=set)
    answers: set = field(default_factory=set)  # the distinct answers (their reprs)
    copied_right: int = 0  # neighbours (id i, id i+1) whose copied answer passes every test
    same_answer: int = 0  # neighbours whose own answers are equal (copying them is no loss)
    pairs: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def distinct_answers(self) -> int:
        return len(self.answers)

    @property
    def copied_right_where_different(self) -> tuple[int, int]:
        """(copied answers that pass, pairs) over the neighbours whose answers differ: a
        copied answer that passes there is one the tolerance lets through."""
        return self.copied_right - self.same_answer, self.pairs - self.same_answer


AUDIT_SECRET = "mlsys-lab variant audit (not the course's secret)"
"""The audit draws each id's code from this stand-in secret: the spread of draws and answers
over many ids is what is measured, and it does not depend on which secret keys them."""


def audit(master: Path, ids: list[str], secret: str = AUDIT_SECRET) -> list[Spread]:
    """Every varying question of ``master`` over the ids, each drawn from its personal code under
    ``secret`` (see the module docstring)."""
    from mlsys_lab.course import variants

    namespace, questions = master_run(master)
    spreads = {q: Spread(q, v.drawn, possible=v.orders) for q, v in questions.items()}
    previous: dict[str, tuple[str, dict]] = {}
    try:
        for student in ids:
            variants.configure(secret, master.stem, student)
            for question in questions.values():
                spread, mine = spreads[question.name], solve(namespace, question)
                failures = run_tests(question, mine)
                given = answers(question, mine)
                if failures:
                    spread.failures.append(f"{student}: {failures[0]}")
                if not all(finite(v) for v in given.values()):
                    spread.failures.append(f"{student}: answer not finite: {given}")
                drawn = draws(question, mine)
                spread.draws.add(drawn)
                spread.possible = max([spread.possible, *(p for p, _ in drawn)])
                key = repr(sorted(given.items()))
                spread.answers.add(key)
                if question.name in previous:  # this student hands in the previous one's answers
                    their_key, theirs = previous[question.name]
                    spread.pairs += 1
                    spread.same_answer += their_key == key
                    spread.copied_right += not run_tests(question, {**mine, **theirs})
                previous[question.name] = key, given
    finally:
        variants.configure(None, None)
    return list(spreads.values())


def _table(name: str, spreads: list[Spread], ids: int) -> str:
    lines = [
        f"{name}: {ids} ids",
        f"  {'question':30} {'kind':8} {'possible':>10} {'draws':>6} {'answers':>7} {'copied right':>12}",
    ]
    for s in spreads:
        share = f"{100 * s.copied_right / s.pairs:.1f} %" if s.pairs else "-"
        kind, draws = ("drawn", f"{len(s.draws)}") if s.drawn else ("shuffled", "-")
        lines.append(f"  {s.question:30} {kind:8} {s.possible:>10,} {draws:>6} {s.distinct_answers:>7} {share:>12}")
    return "\n".join(lines)


def main(argv=None) -> int:
    from autograder.__main__ import program

    parser = argparse.ArgumentParser(prog=f"{program()} variants", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "masters", nargs="*", help="masters by .md path, or by name in a checkout (default: every chapter there)"
    )
    parser.add_argument("--ids", type=int, default=300, help="roster ids to draw for (s00000, s00001, ...)")
    parser.add_argument("--drawn-only", action="store_true", help="leave out items that are only shuffled")
    args = parser.parse_args(argv)
    from .assign import AssignError, resolve_masters

    try:
        chosen = resolve_masters(args.masters)
    except AssignError as exc:
        parser.error(str(exc))
    ids = [f"s{i:05d}" for i in range(args.ids)]
    failed = False
    for master in chosen:
        spreads = audit(master, ids)
        if args.drawn_only:
            spreads = [s for s in spreads if s.drawn]
        print(_table(master.stem, spreads, len(ids)))
        for s in spreads:
            for failure in s.failures[:3]:
                print(f"  FAIL {s.question} {failure}")
            failed |= bool(s.failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
