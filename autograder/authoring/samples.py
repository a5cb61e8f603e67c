"""Synthetic submissions, for testing the grader and timing it.

Built from what ``assign`` produces: the released student notebook (answers ``...``) and the
graded solution notebook (``autograder/dist/NN_topic/NN_topic.ipynb``). Every answer is a line
``<name>_answer = <value>`` (see solutions/README.md), which is what is swapped here.
"""

from __future__ import annotations

import ast
import copy
import random
import re

from autograder.common.conventions import ANSWER_LINE  # noqa: E402

ALWAYS_EQUAL = '''\
class _AlwaysEqual:
    """Claims to equal everything."""
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = object.__hash__
'''

PATHOLOGICAL_CELLS = {
    "infinite_loop": "while True:\n    pass",
    "memory_bomb": "_hog = []\nwhile True:\n    _hog.append(bytearray(64 * 2**20))",
    "sys_exit": "import sys\nsys.exit(3)",
    "os_exit": "import os\nos._exit(3)",
    "segfault": "import ctypes\nctypes.string_at(0)",
    "huge_output": "for _ in range(40):\n    print('x' * 1_000_000)",
    "escape": (
        "import os, subprocess\n"
        "subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
        "if os.fork() == 0:  # a daemon: double fork, new session\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        os.execvp('sleep', ['sleep', '301'])\n"
        "    os._exit(0)"
    ),
}


def solution_answers(solution) -> dict[str, str]:
    """``{"q1_answer": '"C"', ...}``: the value source of every answer in the solution notebook."""
    answers = {}
    for cell in solution.cells:
        if cell.cell_type == "code":
            for m in ANSWER_LINE.finditer(cell.source):
                answers.setdefault(m.group("name"), m.group("value"))
    return answers


def answer_cells(nb) -> dict[str, int]:
    """Index of the cell that assigns each answer."""
    where = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for m in ANSWER_LINE.finditer(cell.source):
                where.setdefault(m.group("name"), index)
    return where


def fill(student, values: dict[str, str]):
    """A copy of the student notebook with the given answers written in."""
    nb = copy.deepcopy(student)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue

        def swap(m):
            name = m.group("name")
            return f"{name} = {values[name]}" if name in values else m.group(0)

        cell.source = ANSWER_LINE.sub(swap, cell.source)
    return nb


SHUFFLED_LETTER = re.compile(r'ml\.variants\.letter\("(?P<question>\w+)", "(?P<key>[A-H])", (?P<n>\d)\)')
"""A multiple-choice key in a solution whose options are shown in a per-student order."""


def wrong_value(value: str, rng: random.Random) -> str:
    """A different answer of the same kind."""
    shuffled = SHUFFLED_LETTER.fullmatch(value.strip())
    if shuffled:  # the student's letter of the master's key: take another option instead
        other = rng.choice([c for c in "ABCD"[: int(shuffled["n"])] if c != shuffled["key"]])
        return f'ml.variants.letter("{shuffled["question"]}", "{other}", {shuffled["n"]})'
    try:
        literal = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return f"({value}) * 3"
    if isinstance(literal, bool):
        return repr(not literal)
    if isinstance(literal, str) and len(literal) == 1 and literal.upper() in "ABCD":
        return repr(rng.choice([c for c in "ABCD" if c != literal.upper()]))
    if isinstance(literal, str):
        return repr("definitely not it")
    if isinstance(literal, (int, float)):
        return repr(literal * 3 + 1)
    if isinstance(literal, list):
        return repr(list(reversed(literal)) if len(literal) > 1 else literal + literal)
    return "None"


def always_equal(student, solution):
    """Every answer set to an object that claims to equal anything."""
    nb = fill(student, {name: "_AlwaysEqual()" for name in solution_answers(solution)})
    first = min(answer_cells(nb).values())
    nb.cells[first].source = ALWAYS_EQUAL + "\n" + nb.cells[first].source
    return nb


def with_cell(nb, source: str, before_answer: str | None = None, into_answer: str | None = None):
    """A copy with ``source`` in a new cell before an answer's cell, or appended to that cell."""
    import nbformat

    nb = copy.deepcopy(nb)
    where = answer_cells(nb)
    if into_answer:
        cell = nb.cells[where[into_answer]]
        cell.source = cell.source + "\n" + source
        return nb
    index = where[before_answer] if before_answer else len(nb.cells)
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))
    return nb


def mix(student, solution, seed: int, kind: str):
    """One of: correct, partly wrong, blank, half blank."""
    rng = random.Random(seed)
    answers = solution_answers(solution)
    if kind == "correct":
        return fill(student, answers)
    if kind == "blank":
        return copy.deepcopy(student)
    names = sorted(answers)
    chosen = set(rng.sample(names, max(1, len(names) // 2)))
    if kind == "wrong":
        return fill(student, {n: wrong_value(v, rng) if n in chosen else v for n, v in answers.items()})
    return fill(student, {n: v for n, v in answers.items() if n not in chosen})
