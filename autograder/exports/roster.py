"""The course roster and the graded CSV, read for export.

A roster is CSV with a header row; the columns are matched case-insensitively:

| column | required | what it holds |
|---|---|---|
| ``file`` | yes | the submission's path as in the grades CSV (``alice.ipynb``, ``sec1/bob.zip``) |
| ``student_id`` (or ``id``, ``sid``) | yes | the institution's student id (Canvas: SIS User ID; Gradescope: SID) |
| ``name`` | yes | the student's name as the gradebook shows it |
| ``email`` | yes | the student's email (Gradescope matches on it) |
| ``sis_login_id``, ``section``, ``canvas_id`` | no | passed to the Canvas columns of the same meaning |
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from autograder import csv_cells

ALIASES = {"student_id": ("student_id", "id", "sid"), "name": ("name",), "email": ("email",), "file": ("file",)}
OPTIONAL = ("sis_login_id", "section", "canvas_id")


class ExportError(ValueError):
    """The roster or the grades cannot be exported; nothing was written."""


@dataclass(frozen=True)
class Student:
    file: str
    student_id: str
    name: str
    email: str
    sis_login_id: str = ""
    section: str = ""
    canvas_id: str = ""


def _rows(path: Path) -> list[list[str]]:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except OSError as exc:
        raise ExportError(f"{path}: cannot read the file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ExportError(f"{path}: not UTF-8 text") from exc
    except csv.Error as exc:
        raise ExportError(f"{path}: malformed CSV ({exc})") from exc


def read_roster(path: Path) -> dict[str, Student]:
    """{submission file: Student}; raises ExportError naming the line of any problem."""
    rows = _rows(path)
    if not rows:
        raise ExportError(f"{path}: empty roster")
    names = [h.strip().lower() for h in rows[0]]
    col = {}
    for key, aliases in ALIASES.items():
        found = [names.index(a) for a in aliases if a in names]
        if not found:
            raise ExportError(f"{path}, line 1: no {key} column (need file, student_id, name, email)")
        col[key] = found[0]
    for key in OPTIONAL:
        if key in names:
            col[key] = names.index(key)
    roster: dict[str, Student] = {}
    ids: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(names):
            raise ExportError(f"{path}, line {line}: {len(row)} fields, but the header has {len(names)}")
        values = {k: row[i].strip() for k, i in col.items()}
        for key in ("file", "student_id"):
            if not values[key]:
                raise ExportError(f"{path}, line {line}: empty {key}")
        if values["file"] in roster:
            raise ExportError(f"{path}, line {line}: {values['file']} is listed twice")
        if values["student_id"] in ids:
            raise ExportError(
                f"{path}, line {line}: student id {values['student_id']} is also on line {ids[values['student_id']]}"
            )
        ids[values["student_id"]] = line
        roster[values["file"]] = Student(**values)
    return roster


@dataclass(frozen=True)
class Grades:
    possible: float
    totals: dict  # file -> points earned


def read_grades(path: Path) -> Grades:
    """Totals of a grades CSV in the grader's (otter's) layout: ``grades.csv`` or ``final_grades.csv``."""
    rows = _rows(path)
    if (
        len(rows) < 2
        or rows[0][:1] != ["file"]
        or rows[1][:1] != ["points-per-question"]
        or "total_points_earned" not in rows[0]
    ):
        raise ExportError(
            f"{path}: not a grades CSV (file, questions..., total_points_earned, ...; a points-per-question row)"
        )
    at = rows[0].index("total_points_earned")
    try:
        possible = float(rows[1][at])
        totals = {csv_cells.read_cell(row[0]): float(row[at]) for row in rows[2:] if row}  # the file's own name
    except (ValueError, IndexError) as exc:
        raise ExportError(f"{path}: a total_points_earned value is not a number ({exc})") from exc
    return Grades(possible, totals)


def matched(grades: Grades, roster: dict[str, Student]) -> tuple[list[tuple[Student, float | None]], list[str]]:
    """(student, total or None when they handed nothing in) in roster order; raises when a
    graded file has no roster entry (its grade would be lost silently)."""
    unknown = sorted(set(grades.totals) - set(roster))
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        raise ExportError(f"{len(unknown)} graded file(s) are not in the roster: {shown}")
    pairs = [(s, grades.totals.get(f)) for f, s in roster.items()]
    missing = [s.student_id for s, t in pairs if t is None]
    return pairs, missing
