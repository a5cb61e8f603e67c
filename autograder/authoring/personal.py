"""``python -m autograder personal NN --roster roster.csv --out DIR``: one notebook per student.

A course that hands each student their own file (an LMS assignment per student, a folder per
login) can skip the step where the student types their personal code: this writes the released
notebook once per roster id, with ``PERSONAL_CODE`` already filled in (derived from the id with
the instructor's secret, ``--secret-file`` or ``MLSYS_VARIANTS_SECRET_FILE``), so it opens on the
student's own numbers and option order. The released notebook comes from ``--notebook``, or
from the autograder zip (``--autograder``; ``assign`` puts it there as ``released/NAME.ipynb``),
or, in a checkout, from ``notebooks/NAME.ipynb``. The output is a pure function of the released notebook,
the secret and the id (same bytes on every run). Nothing else changes: the grader still takes
the id from the roster, never from the notebook, so editing the filled-in code changes the
numbers shown, not the grade. The notebook holds the code only, never the secret.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from autograder.authoring import option_order
from autograder.common.conventions import is_setup_cell
from mlsys_lab.course.variants import ROSTER_ID, personal_code

ROOT = Path(__file__).resolve().parents[2]
RELEASED_DIR = "released"
"""Folder of the autograder zip holding the released student notebook (no solution in it)."""
EMPTY_CODE = re.compile(r'^PERSONAL_CODE = ""', re.M)


class PersonalError(ValueError):
    """A bad roster or notebook (the message says which and why)."""


def personalise(notebook_text: str, roster_id: str, secret: str) -> str:
    """The released notebook (as JSON text) with ``PERSONAL_CODE`` set to ``roster_id``'s code."""
    import json

    if not ROSTER_ID.match(roster_id):
        raise PersonalError(f"{roster_id!r} is not a roster id (letters, digits and . _ @ + -)")
    nb = json.loads(notebook_text)
    setup = [c for c in nb["cells"] if c["cell_type"] == "code" and is_setup_cell("".join(c["source"]))]
    if len(setup) != 1:
        raise PersonalError("the notebook has no setup cell: is it a released notebook of this course?")
    source = "".join(setup[0]["source"])
    filled, count = EMPTY_CODE.subn(f'PERSONAL_CODE = "{personal_code(secret, roster_id)}"', source, count=1)
    if not count:
        raise PersonalError("the setup cell has no empty PERSONAL_CODE line")
    setup[0]["source"] = filled.splitlines(keepends=True)
    option_order.own_order_in_markdown(nb, secret, roster_id)  # the options' Markdown in this student's order
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def roster_ids(path: Path) -> list[str]:
    """The ``student_id`` column of a roster CSV (the one ``grade --roster`` reads), in order,
    without duplicates; a bad id stops everything with its line number."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PersonalError(f"{path}: cannot read the roster ({exc})") from exc
    if not rows or "student_id" not in rows[0]:
        raise PersonalError(f"{path}: the roster needs a student_id column")
    ids: list[str] = []
    for line, row in enumerate(rows, start=2):
        student = (row.get("student_id") or "").strip()
        if not ROSTER_ID.match(student):
            raise PersonalError(f"{path}, line {line}: {student!r} is not a roster id")
        if student not in ids:
            ids.append(student)
    return ids


def released_member(assignment: str) -> str:
    """The zip member that holds ``assignment``'s released notebook."""
    return f"{RELEASED_DIR}/{assignment}.ipynb"


def released_notebook(assignment: str, notebook: Path | None = None, autograder: Path | None = None) -> str:
    """The released notebook's text: ``notebook`` when given, else the one the ``autograder`` zip
    carries, else (in a checkout) ``notebooks/NAME.ipynb``; PersonalError names what to pass."""
    import zipfile

    if notebook is not None:
        if not Path(notebook).is_file():
            raise PersonalError(f"{notebook} not found")
        return Path(notebook).read_text(encoding="utf-8")
    if autograder is not None:
        try:
            with zipfile.ZipFile(autograder) as zf:
                return zf.read(released_member(assignment)).decode("utf-8")
        except KeyError:
            raise PersonalError(
                f"{autograder} carries no {released_member(assignment)} (built before `assign` added it, or for "
                "another assignment): rebuild it, or pass --notebook NAME.ipynb"
            ) from None
        except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
            raise PersonalError(f"{autograder}: not a readable autograder zip ({exc})") from exc
    checkout = ROOT / "notebooks" / f"{assignment}.ipynb"
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    raise PersonalError(
        f"no released notebook for {assignment}: pass --autograder PATH/{assignment}.zip (it carries one) "
        "or --notebook NAME.ipynb"
    )


def write_personal(text: str, name: str, ids: list[str], out: Path, secret: str) -> list[Path]:
    """``out/<id>/<name>`` for each id, from the released notebook's ``text``; returns the paths written."""
    written = []
    for student in ids:
        target = out / student / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(personalise(text, student, secret), encoding="utf-8")
        written.append(target)
    return written


def main(argv=None) -> int:
    from autograder.__main__ import program

    parser = argparse.ArgumentParser(
        prog=f"{program()} personal",
        description="Write the released notebook once per roster id, with its PERSONAL_CODE filled in.",
    )
    parser.add_argument("assignment", help="e.g. 01_ml_lifecycle")
    parser.add_argument("--roster", required=True, type=Path, help="CSV with a student_id column")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument(
        "--secret-file", type=Path, default=None, help="the variants secret (default: MLSYS_VARIANTS_SECRET_FILE)"
    )
    parser.add_argument("--autograder", type=Path, default=None, help="the autograder zip (carries the notebook)")
    parser.add_argument("--notebook", type=Path, default=None, help="the released notebook (default: notebooks/)")
    args = parser.parse_args(argv)
    from autograder.authoring.course_secret import SecretError, find_secret

    name = f"{args.assignment}.ipynb"
    try:
        text = released_notebook(args.assignment, args.notebook, args.autograder)
        written = write_personal(text, name, roster_ids(args.roster), args.out, find_secret(args.secret_file))
    except (PersonalError, SecretError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{len(written)} notebooks in {args.out}/<roster id>/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
