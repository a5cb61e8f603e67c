"""CSV cells a spreadsheet cannot run: every CSV the course's tools write goes through here.

A grades sheet holds text the instructor did not write: file names students chose and written
answers they typed. A spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return before one) as a formula, so ``=HYPERLINK("http://...?"&A2, "x")``
in a file name would send the sheet's data elsewhere when the instructor opens it. The rule is
OWASP's (CSV injection): such a text cell is written with a leading ``'``, which a spreadsheet
shows as plain text. A number stays a number (``-3``, ``+0.5``, ``1e-3`` are left alone, as is
the ``--`` of otter's points row), and a
cell that already begins with ``'`` gets one more, so :func:`read_cell` undoes the prefix
exactly when the grader reads its own CSVs back (``import-scores``, ``export``).
"""

from __future__ import annotations

import csv
import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")
"""First characters that get the ``'`` prefix (the quote itself, so that the prefix reverses)."""
_LEFT_ALONE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|--")
"""A number, or the ``--`` of otter's points row (no formula can hide in either)."""


def safe_cell(value) -> str:
    """``value`` as a CSV cell that no spreadsheet reads as a formula."""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(TRIGGERS) and not _LEFT_ALONE.fullmatch(text):
        return "'" + text
    return text


def safe_row(row) -> list[str]:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """``csv.writer`` whose every cell passes :func:`safe_cell`."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row) -> None:
        self._writer.writerow(safe_row(row))

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> SafeWriter:
    """The one way the course's tools open a CSV for writing (options as for ``csv.writer``)."""
    return SafeWriter(stream, **options)


def read_cell(text: str) -> str:
    """A cell as it was before :func:`safe_cell` (for CSVs the tools wrote and now read back)."""
    if text.startswith("'") and text[1:].startswith(TRIGGERS):
        return text[1:]
    return text
