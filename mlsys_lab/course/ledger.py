"""The figure ledger: every worked figure of both chapters, recomputed by the calculators.

The figures are data, grouped by chapter section: ``ledger_figures/ml_workflow.toml`` (ML
Workflow, §ML Lifecycle to §Lifecycle Stages, Example 1.1) and ``ledger_figures/conclusion.toml``
(Conclusion, §Thirteen Quantitative Invariants to §Fallacies and Pitfalls). Each row names the
calculator call that reproduces its figure; :mod:`mlsys_lab.course.ledger_figures.engine`
evaluates it (the row format is described there) and this module turns the rows into
:class:`Figure` records, prints the table and serves the command line.

Each :class:`Figure` pairs a value the chapter prints (``printed``) with the value the
course's calculators produce from the chapter's inputs (``computed``; always the result
of calling :mod:`mlsys_lab` functions on :mod:`mlsys_lab.facts.constants`, never typed in).
``tolerance`` is relative: tight (0.001) where the chapter prints an exact result, and
half a unit of the last printed digit where it rounds (the description says so).
``printed_by`` is ``"chapter"`` for a figure the chapter prints, and ``"course example"``
for the few rows whose inputs or result the course supplies because the chapter gives no
number (the ``printed`` column then holds the course's own worked value).

``FIGURES`` is built on first access. From a shell::

    python -m mlsys_lab.course.ledger            # aligned table
    python -m mlsys_lab.course.ledger --json     # JSON list of dicts (the Figure fields)
    python -m mlsys_lab.course.ledger --check    # table, exit status 1 if any figure is off
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from mlsys_lab.course.ledger_figures import engine
from mlsys_lab.course.ledger_figures.engine import LedgerRowError

__all__ = [
    "Figure",
    "LedgerRowError",
    "build_figures",
    "figures_from_toml",
    "figures",
    "FIGURES",  # noqa: F822 -- built on first access (module __getattr__)
    "table",
    "main",
    "CHAPTER",
    "COURSE_EXAMPLE",
]

EXACT = 0.001  # relative tolerance for figures the chapter states without rounding
CHAPTER, COURSE_EXAMPLE = "chapter", "course example"


@dataclass(frozen=True)
class Figure:
    """One reproduced figure (see the module docstring for the field meanings)."""

    id: str
    chapter: str
    section: str
    description: str
    computed: float
    unit: str
    printed: float
    tolerance: float
    printed_by: str = "chapter"

    @property
    def relative_error(self) -> float:
        if self.printed == 0:
            return abs(self.computed)
        return abs(self.computed - self.printed) / abs(self.printed)

    @property
    def ok(self) -> bool:
        return abs(self.computed - self.printed) <= self.tolerance * abs(self.printed)


def _rounded(printed: float, decimals: int) -> float:
    """Relative tolerance for a value printed with ``decimals`` decimal places."""
    return 0.5 * 10.0 ** (-decimals) / abs(printed) * 1.0001


def _tolerance(row: dict, where: str) -> float:
    """The row's relative tolerance: given, from the printed decimals, or exact."""
    if "tolerance" in row and "printed_decimals" in row:
        engine.fail(where, "give tolerance or printed_decimals, not both")
    if "printed_decimals" in row:
        return float(_rounded(row["printed"], row["printed_decimals"]))
    return float(row.get("tolerance", EXACT))


def _figure(chapter: str, section: str, row: dict, where: str, cache: dict) -> Figure:
    printed_by = row.get("printed_by", CHAPTER)
    if printed_by not in (CHAPTER, COURSE_EXAMPLE):
        engine.fail(where, f"printed_by must be {CHAPTER!r} or {COURSE_EXAMPLE!r}, got {printed_by!r}")
    return Figure(
        id=row["id"],
        chapter=chapter,
        section=section,
        description=row["description"],
        computed=engine.computed(row, where, cache),
        unit=row["unit"],
        printed=float(row["printed"]),
        tolerance=_tolerance(row, where),
        printed_by=printed_by,
    )


def figures_from_toml(text: str, source: str, cache: dict | None = None) -> list[Figure]:
    """The figures of one ledger file (TOML ``text``); ``source`` names the file in errors."""
    cache = {} if cache is None else cache
    return [_figure(chapter, section, row, where, cache) for chapter, section, row, where in engine.rows(text, source)]


def build_figures() -> list[Figure]:
    """Recompute every ledger figure from the calculators and the chapter constants."""
    cache: dict = {}
    return [figure for source, text in engine.data_files() for figure in figures_from_toml(text, source, cache)]


_FIGURES_CACHE: list[Figure] | None = None


def figures() -> list[Figure]:
    """The ledger (built once, then cached)."""
    global _FIGURES_CACHE
    if _FIGURES_CACHE is None:
        _FIGURES_CACHE = build_figures()
    return _FIGURES_CACHE


def __getattr__(name: str) -> Any:
    if name == "FIGURES":
        return figures()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _fmt(value: float) -> str:
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
        return text
    return f"{value:.4g}"


def table(items: Sequence[Figure] | None = None) -> str:
    """The ledger as an aligned text table."""
    rows = [("id", "chapter", "computed", "printed", "unit", "rel.err", "tol", "ok")]
    items = list(items if items is not None else figures())
    for f in items:
        printed = _fmt(f.printed) + ("*" if f.printed_by == COURSE_EXAMPLE else "")
        rows.append(
            (
                f.id,
                f.chapter,
                _fmt(f.computed),
                printed,
                f.unit,
                f"{f.relative_error:.2e}",
                f"{f.tolerance:.1e}",
                "yes" if f.ok else "NO",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {2, 3, 5, 6}
    lines = []
    for j, r in enumerate(rows):
        cells = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    if any(f.printed_by == COURSE_EXAMPLE for f in items):
        lines.append(
            "* course example: the chapter prints no number here; the value is the course's own worked example"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mlsys_lab.course.ledger", description="Print the chapter figure ledger."
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list of figures")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 if any figure is outside its tolerance"
    )
    args = parser.parse_args(argv)
    items = figures()
    if args.json:
        json.dump([asdict(f) for f in items], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(table(items))
        bad = [f.id for f in items if not f.ok]
        print(
            f"\n{len(items)} figures, {len(items) - len(bad)} within tolerance"
            + (f"; off: {', '.join(bad)}" if bad else "")
        )
    if args.check and any(not f.ok for f in items):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
