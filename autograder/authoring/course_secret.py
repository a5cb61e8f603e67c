"""The instructor's variants secret and what is made from it (instructor guide, "Personal codes").

::

    python -m autograder secret new FILE                  # once per offering, kept outside the repo
    python -m autograder codes --roster r.csv --out codes.csv [--secret-file FILE]
    python -m autograder seal NN_topic [--secret-file FILE] [--gradescope-roster g.csv] [--out ZIP]

Each student's personal code is ``HMAC(secret, roster id)`` (:func:`mlsys_lab.course.variants.personal_code`);
the notebook draws the student's numbers from the code alone. ``codes`` writes the roster's codes
for the LMS; ``seal`` copies an autograder zip with the secret (and a roster mapping Gradescope
e-mails and SIDs to roster ids) added, for upload to Gradescope: ``make assign`` never puts the
secret in a zip, so the zips it builds grade varied questions only where the grader is given the
secret (``grade --secret-file``), and score them 0 with a note on Gradescope until sealed.
The secret is found from ``--secret-file``, else the file named by ``MLSYS_VARIANTS_SECRET_FILE``.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import sys
import zipfile
from pathlib import Path

from autograder.common import csv_cells
from autograder.grading.identity import (
    ROSTER_MEMBER,
    SECRET_ENV,
    SECRET_MEMBER,
    RosterError,
    SecretError,
    read_gradescope_roster,
    read_secret_file,
)
from mlsys_lab.course.variants import personal_code

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "autograder" / "dist"


def find_secret(path: Path | None) -> str:
    """The secret from ``path``, else from the file named by the environment; :class:`SecretError`
    (saying how to provide one) when there is neither."""
    path = path or os.environ.get(SECRET_ENV)
    if not path:
        raise SecretError(
            f"no variants secret: pass --secret-file FILE or set {SECRET_ENV} "
            "(make one, once per offering, with `python -m autograder secret new FILE`)"
        )
    return read_secret_file(Path(path))


def new_secret(path: Path) -> None:
    """Write a fresh random secret to ``path`` (readable by its owner only); never overwrites
    one, and refuses a place inside the course repository, where a commit could publish it."""
    path = Path(path).resolve()
    if path.is_relative_to(ROOT):
        raise SecretError(f"{path} is inside the course repository: keep the secret elsewhere (e.g. ~/.config)")
    if path.exists():
        raise SecretError(f"{path} exists: a new secret changes every student's code, so remove the old one first")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secrets.token_urlsafe(32) + "\n")


def roster_codes(roster_ids: list[str], secret: str) -> list[tuple[str, str]]:
    """``(roster id, personal code)`` for each id, in the roster's order."""
    return [(student, personal_code(secret, student)) for student in roster_ids]


def write_codes(path: Path, rows: list[tuple[str, str]]) -> None:
    """The codes as CSV (``student_id,code``) for an LMS import. Roster ids begin with a letter
    or digit and codes are letters, digits and dashes; the tools' one CSV writer guards the cells
    anyway (:mod:`autograder.common.csv_cells`)."""
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "code"])
    writer.writerows(rows)
    Path(path).write_text(buffer.getvalue(), encoding="utf-8")


def seal(autograder: Path, secret: str, destination: Path, roster_text: str | None = None) -> None:
    """A copy of ``autograder`` with the secret (and the Gradescope roster) added; the copy's
    other entries are byte for byte the original's."""
    if roster_text is not None:
        read_gradescope_roster(roster_text)  # refuse a roster that would fail on Gradescope
    with zipfile.ZipFile(autograder) as zf:
        entries = [
            (info, zf.read(info)) for info in zf.infolist() if info.filename not in (SECRET_MEMBER, ROSTER_MEMBER)
        ]
    added = {SECRET_MEMBER: secret + "\n"}
    if roster_text is not None:
        added[ROSTER_MEMBER] = roster_text
    tmp = destination.with_name(f".{destination.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
        for name, text in added.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o600 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    os.chmod(tmp, 0o600)
    os.replace(tmp, destination)


# --------------------------------------------------------------------------------------------
# commands


def secret_main(argv=None) -> int:
    from autograder.__main__ import program

    parser = argparse.ArgumentParser(
        prog=f"{program()} secret", description="Make the offering's variants secret (once per offering)."
    )
    parser.add_argument("action", choices=["new"])
    parser.add_argument("file", type=Path, help="where to keep it, outside the repository (e.g. ~/.config/...)")
    args = parser.parse_args(argv)
    try:
        new_secret(args.file)
    except (SecretError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"wrote a new variants secret to {args.file} (mode 0600). Keep it out of the repository and of any "
        f"notebook; point {SECRET_ENV} at it, then hand out codes with `{program()} codes`."
    )
    return 0


def codes_main(argv=None) -> int:
    from autograder.__main__ import program
    from autograder.authoring.personal import PersonalError, roster_ids

    parser = argparse.ArgumentParser(
        prog=f"{program()} codes", description="Write each roster id's personal code as CSV, for the LMS."
    )
    parser.add_argument("--roster", required=True, type=Path, help="CSV with a student_id column")
    parser.add_argument("--out", required=True, type=Path, help="CSV to write (student_id, code)")
    parser.add_argument("--secret-file", type=Path, default=None, help=f"default: the file named by {SECRET_ENV}")
    args = parser.parse_args(argv)
    try:
        rows = roster_codes(roster_ids(args.roster), find_secret(args.secret_file))
        write_codes(args.out, rows)
    except (PersonalError, SecretError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{len(rows)} codes in {args.out}")
    return 0


def seal_main(argv=None) -> int:
    from autograder.__main__ import program

    parser = argparse.ArgumentParser(
        prog=f"{program()} seal",
        description="Copy an autograder zip with the variants secret (and a Gradescope roster) added, for upload.",
    )
    parser.add_argument("assignment", help="e.g. 01_ml_lifecycle (reads autograder/dist/NAME.zip)")
    parser.add_argument("--secret-file", type=Path, default=None, help=f"default: the file named by {SECRET_ENV}")
    parser.add_argument(
        "--gradescope-roster",
        type=Path,
        default=None,
        help="CSV with student_id and the email and/or sid Gradescope knows each student by",
    )
    parser.add_argument("--autograder", type=Path, default=None, help="default autograder/dist/NAME.zip")
    parser.add_argument("--out", type=Path, default=None, help="default NAME-gradescope.zip beside the autograder")
    args = parser.parse_args(argv)
    source = args.autograder or DIST / f"{args.assignment}.zip"
    destination = args.out or source.parent / f"{args.assignment}-gradescope.zip"
    try:
        if not source.is_file() and args.autograder:
            raise OSError(f"no autograder at {source}")
        if not source.is_file():
            raise OSError(
                f"no autograder at {source}: run `python -m autograder assign {args.assignment}` in a "
                f"checkout, or pass --autograder PATH/{args.assignment}.zip"
            )
        roster = args.gradescope_roster.read_text(encoding="utf-8-sig") if args.gradescope_roster else None
        seal(source, find_secret(args.secret_file), destination, roster)
    except (SecretError, RosterError, OSError, zipfile.BadZipFile) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{destination}: upload this one to Gradescope (it holds the variants secret: do not share it)")
    return 0
