"""Grades out to where they go: a Canvas gradebook import CSV or a Gradescope score upload.

    python -m autograder export --format canvas|gradescope --grades OUT/final_grades.csv \\
        --roster roster.csv --out FILE [--title "Lab 1"]

``--grades`` is any CSV in the grader's layout (``final_grades.csv`` after ``import-scores``,
or ``grades.csv``); the roster maps each submission file to the student
(:mod:`autograder.exports.roster`). Every graded file must be in the roster, or nothing is
written. Layouts and their sources: :mod:`autograder.exports.canvas`,
:mod:`autograder.exports.gradescope`.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograder.exports.canvas import canvas_csv
from autograder.exports.gradescope import gradescope_csv
from autograder.exports.roster import ExportError, matched, read_grades, read_roster

__all__ = ["export", "ExportError"]

FORMATS = ("canvas", "gradescope")


def export(fmt: str, grades_csv, roster_csv, out_file, title: str | None = None) -> dict:
    """Write ``out_file`` in ``fmt``; return counts. Raises ExportError (nothing written)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose {' or '.join(FORMATS)})")
    grades = read_grades(Path(grades_csv))
    roster = read_roster(Path(roster_csv))
    pairs, missing = matched(grades, roster)
    title = title or Path(grades_csv).resolve().parent.name
    text = canvas_csv(pairs, grades.possible, title) if fmt == "canvas" else gradescope_csv(pairs, grades.possible)
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_file.with_name(f".{out_file.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out_file)
    return {
        "students": len(pairs),
        "graded": len(pairs) - len(missing),
        "no_submission": missing,
        "file": str(out_file),
    }


def main(argv=None) -> int:
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m autograder export", description="Export grades for Canvas or Gradescope."
    )
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
    args = parser.parse_args(argv)
    try:
        summary = export(args.format, args.grades, args.roster, args.out, title=args.title)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{summary['graded']} of {summary['students']} students on the roster have a grade; wrote {summary['file']}")
    if summary["no_submission"]:
        shown = ", ".join(summary["no_submission"][:10]) + (" ..." if len(summary["no_submission"]) > 10 else "")
        print(f"  no submission (left blank): {shown}")
    return 0
