"""Gradescope score upload CSV.

Gradescope keys its course roster on each student's email address, with an optional student
id (Gradescope guide "Adding Students and Staff",
https://guides.gradescope.com/hc/en-us/articles/21926598776333: unique emails, names, optional
extra columns), so scores are uploaded against those two. The columns written are the names
Gradescope's own grade download uses for the same fields: ``Name``, ``SID``, ``Email``,
``Total Score``, ``Max Points``. Caveat: the documentation searched while writing this held no
Gradescope page describing the upload template itself; before the first upload, compare with
the template Gradescope's import dialog offers and adjust ``HEADER`` if it differs.
"""

from __future__ import annotations

import io

from autograder.common import csv_cells

HEADER = ["Name", "SID", "Email", "Total Score", "Max Points"]


def _number(x: float) -> str:
    x = round(float(x), 4)
    return str(int(x)) if x.is_integer() else repr(x)


def gradescope_csv(pairs, possible: float) -> str:
    out = io.StringIO()
    writer = csv_cells.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for student, total in pairs:
        if total is None:
            continue  # nothing handed in: Gradescope shows "no submission" rather than a 0
        writer.writerow([student.name, student.student_id, student.email, _number(total), _number(possible)])
    return out.getvalue()
