"""Canvas gradebook import CSV.

Layout from Canvas's own documentation of gradebook import (Canvas Instructor Guide, "How do
I import grades in the Gradebook?") and the university guides that restate it, e.g. Ohio
State's "Import a CSV file into Carmen Grades"
(https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades):
the columns ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``, then one column
per assignment headed by its name. Canvas identifies a student by any one of ``ID`` (Canvas's
own user id), ``SIS User ID`` or ``SIS Login ID``; a column whose name matches no assignment
creates a new one. The second row, ``Points Possible``, is the one Canvas's own gradebook export
writes under the header. A student with an empty score cell is left unchanged.
"""

from __future__ import annotations

import io

from autograder.common import csv_cells

HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _number(x: float) -> str:
    x = round(float(x), 4)
    return str(int(x)) if x.is_integer() else repr(x)


def canvas_csv(pairs, possible: float, title: str) -> str:
    out = io.StringIO()
    writer = csv_cells.writer(out, lineterminator="\r\n")
    writer.writerow([*HEADER, title])
    writer.writerow(["    Points Possible", "", "", "", "", _number(possible)])
    for student, total in pairs:
        writer.writerow(
            [
                student.name,
                student.canvas_id,
                student.student_id,
                student.sis_login_id,
                student.section,
                "" if total is None else _number(total),
            ]
        )
    return out.getvalue()
