"""Feedback that diagnoses: which belief a chosen distractor follows from (issue 21, item 1).

The autograder zip carries ``mlsys_items.json`` (written by ``assign`` from the masters' ```` ```item ````
fences, :mod:`autograder.authoring.items`): per question, each distractor's misconception and the notebook
section that corrects it, by the MASTER's letter. A student saw the options in their own order,
so the letter they gave is first mapped back to the master's
(:func:`autograder.grading.report.master_letters`); then a student who chose a distractor reads

    You chose B: this follows from <misconception>; see <section>.

with B the letter the student saw. Nothing here names the key. This module ships in the zip
(stage 2 and Gradescope's ``run_autograder`` use it) and imports nothing of the student's.
"""

from __future__ import annotations

import functools
import json
import zipfile
from pathlib import Path

ITEMS_FILE = "mlsys_items.json"


@functools.lru_cache(maxsize=16)
def _read(zip_path: str, modified: float) -> dict:
    path = Path(zip_path)
    try:
        if path.is_dir():
            text = (path / ITEMS_FILE).read_text(encoding="utf-8")
        else:
            with zipfile.ZipFile(path) as zf:
                text = zf.read(ITEMS_FILE).decode("utf-8")
        data = json.loads(text)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return {"questions": {}}
    return data if isinstance(data, dict) and isinstance(data.get("questions"), dict) else {"questions": {}}


def read_items(zip_path) -> dict:
    """``mlsys_items.json`` of an autograder zip (or of the folder it unpacks to); no questions
    when the zip has none (an autograder built before items existed)."""
    path = Path(zip_path)
    try:
        modified = path.stat().st_mtime
    except OSError:
        return {"questions": {}}
    return _read(str(path), modified)


def diagnosis(items: dict, question: str, student_letter: str, master_letter: str | None) -> str | None:
    """The feedback line for a chosen distractor (see the module docstring), or None when the
    option has no recorded misconception (the key, a letter that is no option, an item without one)."""
    entry = ((items or {}).get("questions", {}).get(question) or {}).get("distractors") or {}
    found = entry.get(str(master_letter or "").strip().upper()) if isinstance(entry, dict) else None
    if not isinstance(found, dict) or not found.get("misconception"):
        return None
    letter = str(student_letter).strip().upper()
    section = str(found.get("section") or "").strip()
    return f"You chose {letter}: this follows from {found['misconception']}" + (f"; see {section}." if section else ".")


def diagnoses(entry, assignment) -> dict[str, str]:
    """``{question: feedback line}`` for each question of one graded submission where the
    student chose a distractor with a recorded misconception and did not earn full points."""
    from .report import master_letters

    result = entry.result
    if result is None or not result.ok or entry.failure:
        return {}
    items = read_items(assignment.zip_path)
    if not items["questions"]:
        return {}
    # without a code the grader cannot know the order this student saw: their shuffled items
    # scored 0 for that reason (said in their status), not for a belief
    unknown_order = bool(getattr(entry, "missing", None))
    try:
        mapped = {} if unknown_order else master_letters(entry, assignment)
    except ValueError:  # no usable code for this student (mlsys_lab.course.variants.BadCode)
        mapped, unknown_order = {}, True
    found = {}
    for question in assignment.questions:
        if question not in items["questions"] or (unknown_order and question in assignment.shuffled):
            continue
        score = result.tests.get(question)
        if score is not None and score.score >= assignment.points.get(question, 0) > 0:
            continue
        for name in assignment.answers.get(question, []):
            given = result.answers.get(name)
            if not isinstance(given, str) or len(given.strip()) != 1:
                continue
            master = mapped.get(name) if question in assignment.shuffled else given.strip().upper()
            line = diagnosis(items, question, given, master)
            if line:
                found[question] = line
                break
    return found
