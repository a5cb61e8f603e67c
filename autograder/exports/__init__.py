"""Grades out to where they go: a Canvas gradebook import CSV or a Gradescope score upload.

    python -m autograder export --format canvas|gradescope --grades OUT/final_grades.csv \\
        --roster roster.csv --out FILE [--title "Lab 1"]

``--grades`` is any CSV in the grader's layout (``final_grades.csv`` after ``import-scores``,
or ``grades.csv``); the roster maps each submission file to the student
(:mod:`autograder.exports.roster`). Every graded file must be in the roster, or nothing is
written. Layouts and their sources: :mod:`autograder.exports.canvas`,
:mod:`autograder.exports.gradescope`.

Nothing incomplete goes out unannounced: while a submission failed (a corrupt file scores 0), a
written answer is unscored (or ``grades.csv`` is given although the assignment has written
questions, per ``written/codes.json`` beside it) or a student on the roster has no submission,
the export refuses and names each. ``--allow-incomplete`` writes it anyway and lists each in
``FILE.warnings.txt`` beside it.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograder.exports.canvas import canvas_csv
from autograder.exports.gradescope import gradescope_csv
from autograder.exports.roster import ExportError, matched, problems, read_grades, read_roster

__all__ = ["export", "ExportError"]

FORMATS = ("canvas", "gradescope")
SHOWN = 30


def written_questions(grades_csv: Path) -> list[str]:
    """The written questions of the grading output folder ``grades_csv`` sits in (none when it
    has no ``written/codes.json``)."""
    import json

    path = Path(grades_csv).resolve().parent / "written" / "codes.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return list(data.get("order") or data["questions"])
    except FileNotFoundError:
        return []
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExportError(f"{path} is damaged ({type(exc).__name__}): export the written answers again") from exc


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def warnings_file(out_file) -> Path:
    out_file = Path(out_file)
    return out_file.with_name(f"{out_file.name}.warnings.txt")


def export(
    fmt: str, grades_csv, roster_csv, out_file, title: str | None = None, allow_incomplete: bool = False
) -> dict:
    """Write ``out_file`` in ``fmt``; return counts. Raises ExportError (nothing written), also
    while anything is incomplete unless ``allow_incomplete`` (then listed in the warnings file)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose {' or '.join(FORMATS)})")
    grades = read_grades(Path(grades_csv))
    roster = read_roster(Path(roster_csv), graded=set(grades.totals))
    pairs, missing = matched(grades, roster)
    found = problems(grades, roster, written_questions(grades_csv))
    if found and not allow_incomplete:
        shown = found[:SHOWN] + ([f"... and {len(found) - SHOWN} more"] if len(found) > SHOWN else [])
        raise ExportError(
            f"{len(found)} grade(s) incomplete, nothing written (fix them, or pass --allow-incomplete "
            "to export anyway with a warnings file):\n  " + "\n  ".join(shown)
        )
    title = title or Path(grades_csv).resolve().parent.name
    text = canvas_csv(pairs, grades.possible, title) if fmt == "canvas" else gradescope_csv(pairs, grades.possible)
    out_file = Path(out_file)
    warnings = warnings_file(out_file)
    if found:
        _write(
            warnings,
            f"{out_file.name} was exported with --allow-incomplete; incomplete:\n" + "".join(f"{w}\n" for w in found),
        )
    else:
        warnings.unlink(missing_ok=True)  # a warnings file of an earlier export would no longer be true
    _write(out_file, text)
    return {
        "students": len(pairs),
        "graded": len(pairs) - len(missing),
        "no_submission": missing,
        "file": str(out_file),
        "warnings": found,
        "warnings_file": str(warnings) if found else None,
    }


def main(argv=None) -> int:
    import argparse
    import sys

    from autograder.__main__ import program

    parser = argparse.ArgumentParser(prog=f"{program()} export", description="Export grades for Canvas or Gradescope.")
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("--grades", required=True, type=Path, help="final_grades.csv (or grades.csv)")
    parser.add_argument(
        "--roster",
        required=True,
        type=Path,
        help="CSV: file, student_id, name, email[, sis_login_id, section, canvas_id]",
    )
    parser.add_argument("--out", required=True, type=Path, help="the CSV to write")
    parser.add_argument("--title", default=None, help="Canvas assignment column (default: the grades folder's name)")
    parser.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="export even while a submission failed or is missing or a written score is missing "
        "(each is listed in OUT.warnings.txt)",
    )
    args = parser.parse_args(argv)
    try:
        summary = export(
            args.format, args.grades, args.roster, args.out, title=args.title, allow_incomplete=args.allow_incomplete
        )
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{summary['graded']} of {summary['students']} students on the roster have a grade; wrote {summary['file']}")
    if summary["no_submission"]:
        shown = ", ".join(summary["no_submission"][:10]) + (" ..." if len(summary["no_submission"]) > 10 else "")
        print(f"  no submission (left blank): {shown}")
    if summary["warnings"]:
        print(f"  INCOMPLETE: {len(summary['warnings'])} warning(s), listed in {summary['warnings_file']}")
    return 0
