"""The course roster and the graded CSV, read for export.

A roster is CSV with a header row; the columns are matched case-insensitively:

| column | required | what it holds |
|---|---|---|
| ``file`` | yes | the submission's path as in the grades CSV (``alice.ipynb``, ``sec1/bob.zip``); empty for a student who handed nothing in |
| ``student_id`` (or ``id``, ``sid``) | yes | the institution's student id (Canvas: SIS User ID; Gradescope: SID) |
| ``name`` | yes | the student's name as the gradebook shows it |
| ``email`` | yes | the student's email (Gradescope matches on it) |
| ``sis_login_id``, ``section``, ``canvas_id`` | no | passed to the Canvas columns of the same meaning |

Every problem is named by its line (a missing column, a student id, e-mail or file listed twice, a
file that is not among the graded submissions, a ragged row), and nothing is written. A UTF-8
byte-order mark (Excel's "CSV UTF-8") is fine; a UTF-16 file is refused with how to save it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from autograder.common import csv_cells

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
        data = Path(path).read_bytes()
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ExportError(f"{path}, line 1: saved as UTF-16 (Excel's 'Unicode text'); save it as 'CSV UTF-8'")
        text = data.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except OSError as exc:
        raise ExportError(f"{path}: cannot read the file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ExportError(f"{path}: not UTF-8 text") from exc
    except csv.Error as exc:
        raise ExportError(f"{path}: malformed CSV ({exc})") from exc


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    doubled = sorted({n for n in names if n and names.count(n) > 1})
    if doubled:
        raise ExportError(f"{path}, line 1: column {', '.join(doubled)} appears twice")
    col, missing = {}, []
    for key, aliases in ALIASES.items():
        found = [names.index(a) for a in aliases if a in names]
        if found:
            col[key] = found[0]
        else:
            missing.append(key)
    if missing:
        raise ExportError(
            f"{path}, line 1: no {', '.join(missing)} column (need file, student_id, name, email; "
            f"the header is: {','.join(header)})"
        )
    for key in OPTIONAL:
        if key in names:
            col[key] = names.index(key)
    return col


def read_roster(path: Path, graded=None) -> list[Student]:
    """The roster's students in its order; raises ExportError naming the line of any problem.
    ``graded``: the submission files of the grades CSV; a non-empty ``file`` not among them is
    an error (a typo would otherwise pass as "no submission")."""
    rows = _rows(path)
    if not rows:
        raise ExportError(f"{path}: empty roster")
    col = _columns(path, rows[0])
    students: list[Student] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(rows[0]):
            raise ExportError(f"{path}, line {line}: {len(row)} fields, but the header has {len(rows[0])}")
        values = {k: row[i].strip() for k, i in col.items()}
        if not values["student_id"]:
            raise ExportError(f"{path}, line {line}: empty student_id")
        for key, label in (("file", "file"), ("student_id", "student id"), ("email", "e-mail")):
            value = values[key]
            if value and (key, value.lower() if key == "email" else value) in seen:
                first = seen[(key, value.lower() if key == "email" else value)]
                raise ExportError(f"{path}, line {line}: {label} {value} is also on line {first}")
            if value:
                seen[(key, value.lower() if key == "email" else value)] = line
        if graded is not None and values["file"] and values["file"] not in graded:
            raise ExportError(
                f"{path}, line {line}: {values['file']} is not among the graded submissions "
                "(a typo? leave file empty for a student who handed nothing in)"
            )
        students.append(Student(**values))
    return students


@dataclass(frozen=True)
class Grades:
    possible: float
    totals: dict  # file -> points earned
    status: dict  # file -> grading_status
    final: bool  # holds the written scores (final_grades.csv after import-scores)


def read_grades(path: Path) -> Grades:
    """Totals of a grades CSV in the grader's (otter's) layout: ``grades.csv`` or ``final_grades.csv``."""
    rows = _rows(path)
    if (
        len(rows) < 2
        or rows[0][:1] != ["file"]
        or rows[1][:1] != ["points-per-question"]
        or "total_points_earned" not in rows[0]
        or "grading_status" not in rows[0]
    ):
        raise ExportError(
            f"{path}: not a grades CSV (file, questions..., total_points_earned, ..., grading_status; "
            "a points-per-question row)"
        )
    at, status_at = rows[0].index("total_points_earned"), rows[0].index("grading_status")
    totals, status = {}, {}
    for line, row in enumerate(rows[2:], start=3):
        if not row:
            continue
        try:
            file = csv_cells.read_cell(row[0])  # the file's own name
            totals[file] = float(row[at])
            status[file] = csv_cells.read_cell(row[status_at])
        except (ValueError, IndexError) as exc:
            raise ExportError(f"{path}, line {line}: no total_points_earned number ({exc})") from exc
    try:
        possible = float(rows[1][at])
    except (ValueError, IndexError) as exc:
        raise ExportError(f"{path}, line 2: the points possible is not a number ({exc})") from exc
    return Grades(possible, totals, status, "written_points" in rows[0])


def problems(grades: Grades, students: list[Student], written: list[str]) -> list[str]:
    """Why the export would be incomplete: a submission that failed (a corrupt file scores 0),
    a written answer not scored, a student with no submission; ``written``: the assignment's
    written questions (from ``OUT/written/codes.json``) when ``grades`` lacks their scores."""
    found = []
    if written and not grades.final:
        found.append(
            f"the written questions {', '.join(written)} have no scores in this CSV: run import-scores "
            "and export its final_grades.csv"
        )
    who = {s.file: s for s in students if s.file}
    for file, status in grades.status.items():
        name = f"{file} ({who[file].student_id})" if file in who else file
        if status.startswith("Failed"):
            found.append(f"{name}: {status.split(';')[0]}")
        for part in status.split("; "):
            if part.startswith("written not scored: "):
                found.append(f"{name}: {part}")
    for student in students:
        if not student.file or student.file not in grades.totals:
            found.append(f"{student.student_id} ({student.name}): no submission")
    return found


def matched(grades: Grades, roster: list[Student]) -> tuple[list[tuple[Student, float | None]], list[str]]:
    """(student, total or None when they handed nothing in) in roster order; raises when a
    graded file has no roster entry (its grade would be lost silently)."""
    unknown = sorted(set(grades.totals) - {s.file for s in roster})
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        raise ExportError(f"{len(unknown)} graded file(s) are not in the roster: {shown}")
    pairs = [(s, grades.totals.get(s.file) if s.file else None) for s in roster]
    missing = [s.student_id for s, t in pairs if t is None]
    return pairs, missing
