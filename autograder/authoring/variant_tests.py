"""Pipeline step: give each question's tests the student's own numbers.

A question whose inputs vary per student has one code cell tagged ``variant`` in the master
(see :mod:`mlsys_lab.course.variants`): it draws the student's values and shows them. This step copies
that cell's statements (without its bare display calls) to the top of every test function of the same
question, so the hidden test recomputes the expected answer from the very same draw and the
author writes the ranges once. Which questions vary is recorded in the autograder zip
(``mlsys_variants.json``), with the course's salt, for the grader.
"""

from __future__ import annotations

import re

from autograder.common.conventions import otter_marker, question_name

VARIANT_TAG = "variant"
TEST_DEF = re.compile(r"^def test_\w+\(.*\):\s*$", re.M)


def _assignments(source: str) -> list[str]:
    """The cell's statements without its bare expressions (``budget.show()``,
    ``ml.variants.options(...)``: displays, which a test does not need)."""
    import ast

    tree = ast.parse(source)
    return [ast.unparse(node) for node in tree.body if not isinstance(node, ast.Expr)]


def inject(cells: list) -> tuple[list, list[str]]:
    """Copy each question's ``variant`` cell into its test cells; returns the cells and the
    names of the questions that vary."""
    varied: list[str] = []
    question, variant_code, in_tests = None, None, False
    for cell in cells:
        marker = otter_marker(cell)
        if marker == "BEGIN QUESTION":
            question, variant_code, in_tests = question_name(cell), None, False
        elif marker == "END QUESTION":
            question, variant_code, in_tests = None, None, False
        elif marker == "BEGIN TESTS":
            in_tests = True
        elif marker == "END TESTS":
            in_tests = False
        elif cell.cell_type == "code" and VARIANT_TAG in cell.get("metadata", {}).get("tags", []):
            if question is None:
                raise ValueError("a cell tagged 'variant' must sit inside a question")
            variant_code = (variant_code or []) + [
                line for stmt in _assignments(cell.source) for line in stmt.splitlines()
            ]
            if question not in varied:
                varied.append(question)
        elif cell.cell_type == "code" and in_tests and variant_code is not None:
            body = "\n".join(["    import mlsys_lab as ml", *("    " + line for line in variant_code if line.strip())])
            cell.source, n = TEST_DEF.subn(lambda m, body=body: m.group(0) + "\n" + body, cell.source)
            if not n:
                raise ValueError(f"{question}: a test cell without a 'def test_...' line")
    return cells, varied
