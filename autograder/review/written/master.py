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

from autograder.common.conventions import marker_and_body

ANSWER_HINT = re.compile(r"^\s*Write your answer in the Markdown cell below[^\n]*$", re.M)
WRITTEN_MEMBER = "mlsys_written.json"
"""The member of the autograder zip that carries the written questions (prompt and rubric), so
``written`` needs no master: the zip is the instructor's, and on Gradescope its folder is hidden
from the student's process like the hidden tests beside it."""


class MasterError(ValueError):
    """The master cannot be read or has no usable written question."""


@dataclass(frozen=True)
class WrittenQuestion:
    name: str
    points: float
    prompt: str  # Markdown, as the student saw it
    rubric: str  # Markdown: the rubric and, when the master has one, the example answer


def master_cells(master: Path) -> list:
    """The master's cells with its otter fences split out, as ``assign`` reads them, without the
    rest of the pipeline (site address, package versions): an installed tool reads a master
    given on the command line, no checkout needed."""
    import jupytext

    from autograder.authoring.assign import drop_item_fences, split_otter_fences

    try:
        nb = jupytext.read(master, fmt="md:myst")
    except Exception as exc:  # jupytext raises many kinds
        raise MasterError(f"{master.name}: not a readable MyST notebook: {exc}") from exc
    cells = []
    for cell in nb.cells:
        cell = drop_item_fences(cell)
        if cell is not None:
            cells.extend(split_otter_fences(cell))
    return cells


def written_questions(master: Path) -> list[WrittenQuestion]:
    """Every ``manual: true`` question of ``master``, in notebook order."""
    import yaml

    master = Path(master)
    if not master.is_file():
        raise MasterError(f"no master at {master}")
    questions, current, mode, prompt, rubric = [], None, None, [], []
    for cell in master_cells(master):
        keyword, rest = marker_and_body(cell)
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


def written_json(questions: list[WrittenQuestion], assignment: str) -> bytes:
    """The written questions as the zip carries them (``WRITTEN_MEMBER``), in notebook order."""
    import json
    from dataclasses import asdict

    data = {"assignment": assignment, "questions": [asdict(q) for q in questions]}
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")


def zip_written_questions(autograder: Path) -> list[WrittenQuestion] | None:
    """The written questions an autograder zip carries; None when it carries none (a zip built
    before ``assign`` added them: rebuild it, or give the master)."""
    import json
    import zipfile

    try:
        with zipfile.ZipFile(autograder) as zf:
            if WRITTEN_MEMBER not in zf.namelist():
                return None
            data = json.loads(zf.read(WRITTEN_MEMBER).decode("utf-8"))
        return [
            WrittenQuestion(str(q["name"]), float(q["points"]), str(q["prompt"]), str(q["rubric"]))
            for q in data["questions"]
        ]
    except (OSError, zipfile.BadZipFile, ValueError, KeyError, TypeError) as exc:
        raise MasterError(f"{autograder}: cannot read its written questions ({type(exc).__name__}: {exc})") from exc
