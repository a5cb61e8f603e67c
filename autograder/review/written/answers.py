"""Find a student's written answers in a submitted notebook.

otter assign wraps each manual question of the student notebook in HTML comments: the prompt
cell starts ``<!-- BEGIN QUESTION -->``, the student's answer cell(s) follow, and the next
cell starts ``<!-- END QUESTION -->`` (otter uses them to cut a PDF of the written part). The
prompt cells are locked, so their text identifies the question; the answer is every cell in
between, minus otter's placeholder text.
"""

from __future__ import annotations

import difflib
import json
import re

from autograder.review.written.master import ANSWER_HINT, WrittenQuestion

BEGIN = "<!-- BEGIN QUESTION -->"
END = "<!-- END QUESTION -->"
PLACEHOLDER = re.compile(r"_?Type your answer here, replacing this text\._?")
MATCH_THRESHOLD = 0.6
"""Least similarity between a region's prompt and a master prompt for the two to be paired."""


def _source(cell) -> str:
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    if isinstance(source, list):
        source = "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def regions(cells: list) -> list[tuple[str, str]]:
    """(prompt text, answer text) of each BEGIN/END QUESTION region, in order."""
    found, prompt, answer = [], None, []
    for cell in cells:
        source = _source(cell)
        stripped = source.lstrip()
        if stripped.startswith(END):
            if prompt is not None:
                found.append((prompt, "\n\n".join(answer).strip()))
                prompt, answer = None, []
            # otter puts the next question's BEGIN marker in the same cell as the END marker
            stripped = stripped[len(END) :].lstrip()
            if not stripped.startswith(BEGIN):
                continue
        if stripped.startswith(BEGIN):
            if prompt is not None:  # an END marker was deleted: close the open region here
                found.append((prompt, "\n\n".join(answer).strip()))
            prompt, answer = ANSWER_HINT.sub("", stripped[len(BEGIN) :]).strip(), []
            continue
        if prompt is not None:
            text = PLACEHOLDER.sub("", source).strip()
            if text and not (isinstance(cell, dict) and cell.get("cell_type") == "code" and text == "..."):
                answer.append(text)
    if prompt is not None:
        found.append((prompt, "\n\n".join(answer).strip()))
    return found


def written_answers(notebook: bytes | str | dict, questions: list[WrittenQuestion]) -> dict[str, str]:
    """The answer text of each written question found in ``notebook`` (``""`` when blank).
    A question whose region is missing is left out. Raises ValueError on a non-notebook."""
    if isinstance(notebook, (bytes, str)):
        try:
            notebook = json.loads(notebook.decode("utf-8-sig") if isinstance(notebook, bytes) else notebook)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ValueError(f"not a notebook ({type(exc).__name__})") from exc
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError("not a notebook: the JSON has no list of cells")
    wanted = {q.name: _normal(q.prompt) for q in questions}
    answers: dict[str, str] = {}
    for prompt, answer in regions(cells):
        text = _normal(prompt)
        best, best_ratio = None, 0.0
        for name, reference in wanted.items():
            if name in answers:
                continue
            ratio = 1.0 if text == reference else difflib.SequenceMatcher(None, text, reference, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = name, ratio
        if best is not None and best_ratio >= MATCH_THRESHOLD:
            answers[best] = answer
    return answers
