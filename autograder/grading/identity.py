"""Whose numbers: from a submission to a roster id, and from a roster id to a personal code.

Questions that vary per student (:mod:`mlsys_lab.course.variants`) are graded on the numbers drawn from
the student's personal code, ``HMAC(instructor's secret, roster id)``. The grader alone holds the
secret: it finds the roster id (the local ``--roster``, or Gradescope's metadata mapped through
the roster shipped in the zip), derives the code, and hands the sandboxed runner and the scorer
the CODE, never the secret. When it cannot (no id, an id not on the roster, no secret), the
submission's varied questions score 0 with a note saying why and what to do; the master's
numbers are never used for them unless the instructor asked for it (``--master-numbers``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import messages as m

SECRET_ENV = "MLSYS_VARIANTS_SECRET_FILE"
"""Environment variable naming the file that holds the instructor's variants secret."""
SECRET_MEMBER = "variants_secret"
"""Where a sealed Gradescope zip keeps the secret (``/autograder/source``, unreadable by the
student's process: hidden in bubblewrap, mode 0700 in user mode)."""
ROSTER_MEMBER = "gradescope_roster.csv"
"""Where a sealed zip keeps the roster that maps Gradescope e-mails and SIDs to roster ids."""
MIN_SECRET_CHARS = 16


class SecretError(ValueError):
    """The variants secret cannot be used (missing, too short, unreadable)."""


class RosterError(ValueError):
    """A roster cannot be used; the message names the line."""


def secret_from_text(text: str, where: str) -> str:
    """The secret in ``text`` (its first non-blank line), or :class:`SecretError`."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines or len(lines[0]) < MIN_SECRET_CHARS:
        raise SecretError(
            f"{where}: a variants secret is one line of at least {MIN_SECRET_CHARS} characters "
            "(make one with `python -m autograder secret new FILE`)"
        )
    return lines[0]


def read_secret_file(path: Path) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError(f"{path}: cannot read the variants secret ({exc})") from exc
    return secret_from_text(text, str(path))


def sealed(source: Path, member: str) -> str | None:
    """The text of ``member`` in an autograder zip, or in the folder it unpacks to; None if absent."""
    source = Path(source)
    try:
        if source.is_dir():
            path = source / member
            return path.read_text(encoding="utf-8") if path.is_file() else None
        with zipfile.ZipFile(source) as zf:
            return zf.read(member).decode("utf-8") if member in zf.namelist() else None
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile):
        return None


def canonical_sid(text) -> str:
    """A student number as Gradescope or a roster may write it: no spaces anywhere, lower case."""
    return "".join(str(text or "").split()).lower()


def canonical_email(text) -> str:
    return str(text or "").strip().lower()


def personal_code(secret: str, roster_id: str) -> str:
    from mlsys_lab.course.variants import personal_code as code

    return code(secret, roster_id)


# --------------------------------------------------------------------------------------------
# Gradescope: metadata -> roster id


def read_gradescope_roster(text: str, where: str = ROSTER_MEMBER) -> dict[str, str]:
    """``{normalised SID or e-mail or roster id: roster id}`` from a CSV with a ``student_id``
    column and optional ``email`` and ``sid`` columns (what Gradescope knows the student by)."""
    from mlsys_lab.course.variants import ROSTER_ID

    try:
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as exc:
        raise RosterError(f"{where}: cannot read the roster ({exc})") from exc
    if not rows or "student_id" not in rows[0]:
        raise RosterError(f"{where}: the roster needs a student_id column (and email and/or sid)")
    lookup: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        student = canonical_sid(row.get("student_id"))
        if not ROSTER_ID.match(student):
            raise RosterError(f"{where}, line {line}: {row.get('student_id')!r} is not a roster id")
        for key in (student, canonical_sid(row.get("sid")), canonical_email(row.get("email"))):
            if not key:
                continue
            if lookup.get(key, student) != student:
                raise RosterError(f"{where}, line {line}: {key!r} is given to two students")
            lookup[key] = student
    return lookup


@dataclass
class Identity:
    """Who a submission belongs to, for its varied questions."""

    student: str | None = None  # the roster id
    code: str | None = None  # derived from the secret; what the runner and the scorer get
    missing: str | None = None  # why there is no code: varied questions score 0 with this note


def gradescope_identity(metadata: dict | None, roster_text: str | None, secret: str | None) -> Identity:
    """The submitter of Gradescope's ``submission_metadata.json``: SID and e-mail normalised, then
    mapped through the shipped roster when there is one (else the SID, else the e-mail, is the id)."""
    from mlsys_lab.course.variants import ROSTER_ID

    try:
        user = metadata["users"][0]
        sid, email = canonical_sid(user.get("sid")), canonical_email(user.get("email"))
    except (KeyError, IndexError, TypeError, AttributeError):
        sid = email = ""
    shown = " / ".join(f"{k} {v!r}" for k, v in (("SID", sid), ("e-mail", email)) if v) or "no SID and no e-mail"
    if roster_text is not None:
        lookup = read_gradescope_roster(roster_text)
        student = lookup.get(sid) or lookup.get(email)
        if student is None:
            return Identity(
                missing=f"your Gradescope account ({shown}) is not on the course roster this autograder "
                "was given, so it cannot tell which numbers are yours. Ask your instructor to add you to "
                "the roster; your submission is then regraded"
            )
    else:
        student = next((v for v in (sid, email) if ROSTER_ID.match(v)), None)
        if student is None:
            return Identity(
                missing=f"Gradescope gave no usable student id ({shown}), so the autograder cannot tell "
                "which numbers are yours. Ask your instructor to set your SID on Gradescope; your "
                "submission is then regraded"
            )
    return with_code(student, secret)


def with_code(student: str | None, secret: str | None) -> Identity:
    """The identity of a roster id under ``secret`` (None: no secret, so no code)."""
    if student is None:
        return Identity()
    if not secret:
        return Identity(
            student=student,
            missing="this autograder has no copy of the course's variants secret, so it cannot compute "
            "anyone's numbers; tell your instructor (they upload the zip made by `python -m autograder seal`)",
        )
    return Identity(student=student, code=personal_code(secret, student))


# --------------------------------------------------------------------------------------------
# stage 2: no numbers, no points on the questions that need them


def zero_varied(tests: dict, varied, missing: str) -> None:
    """Varied questions of ``tests`` ({question: QuestionScore}) score 0 with ``missing`` as
    the reason; the other questions keep their scores."""
    for question in varied:
        score = tests.get(question)
        if score is None:
            continue
        tests[question] = m.QuestionScore(
            score=0.0,
            possible=score.possible,
            cases=[],
            note=f"scored 0: this question has numbers of your own, and {missing}",
        )


def varied_note(varied, missing: str) -> str:
    """The row's note when the varied questions scored 0."""
    return f"{', '.join(varied)} scored 0 (per-student numbers): {missing}"
