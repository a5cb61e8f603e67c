"""The written ("explain") questions of a master: name, points, prompt and rubric.

A written question is an otter question with ``manual: true`` (``solutions/README.md``, "Exercise
kinds"). Its prompt is the Markdown between ``# BEGIN QUESTION`` and ``# BEGIN SOLUTION``; its
solution is Markdown that starts with ``**Rubric.**`` and lists what earns each point, often
followed by an example answer. Students never see the solution; the grading sheets show it to
the instructor as the rubric.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ANSWER_HINT = re.compile(r"^\s*Write your answer in the Markdown cell below[^\n]*$", re.M)


class MasterError(ValueError):
    """The master cannot be read or has no usable written question."""


@dataclass(frozen=True)
class WrittenQuestion:
    name: str
    points: float
    prompt: str  # Markdown, as the student saw it
    rubric: str  # Markdown: the rubric and, when the master has one, the example answer


def _marker(cell) -> tuple[str, str]:
    if cell.cell_type != "raw":
        return "", ""
    first, _, rest = cell.source.strip().partition("\n")
    match = re.match(r"^#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS|PROMPT)\b", first.strip(), re.I)
    return (f"{match.group(1).upper()} {match.group(2).upper()}", rest) if match else ("", "")


def written_questions(master: Path) -> list[WrittenQuestion]:
    """Every ``manual: true`` question of ``master``, in notebook order."""
    import yaml

    from autograder.assign import AssignError, read_master

    master = Path(master)
    if not master.is_file():
        raise MasterError(f"no master at {master}")
    try:
        nb = read_master(master)
    except AssignError as exc:
        raise MasterError(str(exc)) from exc
    questions, current, mode, prompt, rubric = [], None, None, [], []
    for cell in nb.cells:
        keyword, rest = _marker(cell)
        if keyword == "BEGIN QUESTION":
            config = yaml.safe_load(rest) or {}
            current = config if config.get("manual") else None
            mode, prompt, rubric = "prompt", [], []
            continue
        if current is None:
            continue
        if keyword == "BEGIN SOLUTION":
            mode = "solution"
        elif keyword in ("END SOLUTION", "BEGIN TESTS", "END TESTS"):
            mode = None
        elif keyword == "END QUESTION":
            text = ANSWER_HINT.sub("", "\n\n".join(prompt)).strip()
            questions.append(
                WrittenQuestion(
                    str(current["name"]), float(current.get("points") or 0), text, "\n\n".join(rubric).strip()
                )
            )
            current, mode = None, None
        elif cell.cell_type == "markdown" and mode == "prompt":
            prompt.append(cell.source.strip())
        elif cell.cell_type == "markdown" and mode == "solution":
            rubric.append(cell.source.strip())
    return questions
