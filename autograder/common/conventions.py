"""Conventions the instructor tools share: what the pipeline writes and the grader reads.

``autograder.authoring.assign`` writes student notebooks with these cell ids, kernelspec and setup cell;
``autograder.grading`` and ``autograder.authoring.nbgrader_export`` read them back. Change one here and
both sides follow.
"""

from __future__ import annotations

import re

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}

RELEASED_CELL_ID = re.compile(r"^cell-(\d+)$")
"""Ids of the cells of a released student notebook, numbered in order (``cell-007``)."""

ANSWER_SUFFIX = "_answer"
"""Every graded answer lives in a variable named ``<question>_answer``."""

ANSWER_LINE = re.compile(r"^(?P<name>\w+_answer)\s*=\s*(?P<value>.+?)\s*(#.*)?$", re.M)
"""A line that sets an answer: ``q1_answer = "C"  # SOLUTION``."""

SOLUTION_LINE = re.compile(r"^(?P<indent>\s*)(?P<body>.*?)\s*#\s*SOLUTION\s*$")
"""otter's one-line solution marker (the student sees ``...`` instead of the line's value)."""

CHECK_CELL_PREFIX = "grader.check("
"""A public-check cell starts with this; the site hides such cells."""


def released_cell_id(index: int) -> str:
    """The id of cell ``index`` (from 0) of a generated notebook."""
    return f"cell-{index:03d}"


def notebook_metadata(**extra) -> dict:
    """The metadata every generated notebook carries (kernel, language, plus ``extra``)."""
    return {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO), **extra}


SETUP_MARKER = "# Setup: run this cell first."
"""First line of the setup cell the pipeline puts under each notebook's title."""

_SETUP_LINE = re.compile(
    r"""^(\#.*
        |try:|except\ ImportError:|else:
        |import\ mlsys_lab(\ as\ ml)?(,\ otter)?
        |import\ otter
        |from\ mlsys_lab\.course\.notebook\ import\ [\w, ]+
        |%pip\ install\ .*|!pip\ install\ .*
        |grader\ =\ start\(.*\)
        |(PERSONAL_CODE|ROSTER_ID)\ =\ ("[^"]*"|'[^']*')(\s*\#.*)?
        )$""",
    re.X,
)


def is_setup_cell(source: str) -> bool:
    """Is ``source`` the pipeline's setup cell, unchanged in substance? The grader replaces it:
    it installs tools and starts otter's checker, neither of which grading needs."""
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    if not lines or not lines[0].startswith(SETUP_MARKER):
        return False
    return all(_SETUP_LINE.match(line) for line in lines)


_OTTER_MARKER = re.compile(r"^#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS)\b")


def otter_marker(cell) -> str | None:
    """``"BEGIN QUESTION"``, ``"END TESTS"``, ... when ``cell`` is one of otter assign's raw
    marker cells, else None (read by the pipeline steps that rewrite questions)."""
    if cell.cell_type != "raw":
        return None
    m = _OTTER_MARKER.match(cell.source.strip())
    return f"{m.group(1)} {m.group(2)}" if m else None


_MARKER_LINE = re.compile(r"^#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS|PROMPT)\b", re.I)


def marker_and_body(cell) -> tuple[str, str]:
    """(keyword, rest) of an otter raw marker cell, prompts included: ``("BEGIN QUESTION",
    "name: q1...")``; ``("", "")`` for any other cell (read by the nbgrader export and the
    written-answer sheets)."""
    if cell.cell_type != "raw":
        return "", ""
    first, _, rest = cell.source.strip().partition("\n")
    m = _MARKER_LINE.match(first.strip())
    return (f"{m.group(1).upper()} {m.group(2).upper()}", rest) if m else ("", "")


def question_name(cell) -> str | None:
    """The ``name:`` of a ``BEGIN QUESTION`` cell."""
    m = re.search(r"^name:\s*(\S+)", cell.source, re.M)
    return m.group(1) if m else None
