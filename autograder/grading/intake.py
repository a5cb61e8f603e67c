"""Intake: find the submissions, read each one safely, and turn it into a grading job.

Every ``.ipynb`` and every otter export ``.zip`` (holding one notebook) under the submissions
folder becomes an :class:`Entry`, which ends as exactly one CSV row. Reading never runs student
code: the file is size-checked, parsed as JSON, checked for this assignment's metadata and
answers, and reduced to its code cells (numbered as in the notebook). The pipeline's setup cell
is replaced by an empty one: it installs tools and starts otter's checker, and grading needs
neither. What a row says when a file cannot be graded is set here (``Entry.failure``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.common.conventions import RELEASED_CELL_ID, is_setup_cell

from .score import Assignment

MAX_INPUT_BYTES = 64 * 2**20
"""Largest submission file (or notebook inside a zip) that is read at all."""
GRADER_VERSION = "2"
"""Part of every cache key: bump it when a change can change a score or a status."""


@dataclass
class Entry:
    """One input file and everything learnt about it."""

    rel: str
    path: Path
    notebook_sha: str | None = None  # hash of the notebook's bytes (duplicates)
    key: str | None = None  # cache key of the grading job
    cells: list | None = None  # [{"number": n, "source": code}] to run
    failure: str | None = None  # why it is not graded at all
    notes: list = field(default_factory=list)
    result: object = None  # messages.GradeResult
    student: str | None = None  # roster id, from the roster (never from the notebook)
    copied: list = field(default_factory=list)  # [(question, file whose numbers the answer fits)]
    private_notes: list = field(default_factory=list)  # for the instructor only (they name other files)
    code: str | None = None  # the student's personal code, derived by the grader from the secret
    missing: str | None = None  # why there is no code: varied questions score 0 with this note


def discover(submissions: Path, out_dir: Path) -> tuple[list[Entry], list[str]]:
    """Every ``.ipynb`` and ``.zip`` under ``submissions`` (hidden files and folders, and the
    output folder, excluded), sorted by relative path; plus the relative paths passed over."""
    entries, passed_over = [], []
    out_resolved = Path(out_dir).resolve()
    submissions = Path(submissions)
    for directory, dirs, files in os.walk(submissions, followlinks=False):
        here = Path(directory)
        kept = []
        for d in sorted(dirs):
            full = here / d
            if d.startswith(".") or full.resolve() == out_resolved:
                passed_over.append(full.relative_to(submissions).as_posix() + "/")
            else:
                kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            full = here / name
            rel = full.relative_to(submissions).as_posix()
            if name.startswith(".") or not name.lower().endswith((".ipynb", ".zip")):
                passed_over.append(rel)
            else:
                entries.append(Entry(rel=rel, path=full))
    entries.sort(key=lambda e: e.rel)
    return entries, sorted(passed_over)


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def _read_limited(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        return f.read(MAX_INPUT_BYTES + 1)


def notebook_bytes(entry: Entry) -> bytes:
    """The notebook of a submission: the file itself, or the single notebook in an otter zip.
    Raises ValueError with the reason a row gets when it is neither."""
    try:
        if entry.path.is_symlink():
            raise ValueError("a symbolic link, not a file")
        size = entry.path.stat().st_size
    except OSError as exc:
        raise ValueError(f"cannot read the file ({exc.strerror})") from exc
    if size > MAX_INPUT_BYTES:
        raise ValueError(f"file too large ({_mib(size)}; the limit is {_mib(MAX_INPUT_BYTES)})")
    try:
        data = _read_limited(entry.path)
    except OSError as exc:
        raise ValueError(f"cannot read the file ({exc.strerror})") from exc
    if not entry.rel.lower().endswith(".zip"):
        return data
    if not data:
        raise ValueError("empty file")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = [
            i
            for i in zf.infolist()
            if not i.is_dir()
            and i.filename.lower().endswith(".ipynb")
            and not i.filename.startswith("__MACOSX/")
            and not Path(i.filename).name.startswith(".")
            and ".ipynb_checkpoints/" not in i.filename
        ]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValueError("not a readable zip file") from exc
    if len(members) != 1:
        found = ", ".join(sorted(m.filename for m in members)[:5])
        raise ValueError(
            "the zip holds no notebook" if not members else f"the zip holds {len(members)} notebooks ({found})"
        )
    member = members[0]
    if member.file_size > MAX_INPUT_BYTES:
        raise ValueError(f"the notebook in the zip is too large ({_mib(member.file_size)})")
    try:
        with zf.open(member) as f:
            inner = f.read(MAX_INPUT_BYTES + 1)
    except (zipfile.BadZipFile, RuntimeError, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ValueError(f"cannot extract {member.filename} from the zip ({type(exc).__name__})") from exc
    if len(inner) > MAX_INPUT_BYTES:
        raise ValueError("the notebook in the zip is too large")
    return inner


def _assigned(variable: str, code: str) -> bool:
    """``variable = ...`` (an answer) or ``def variable(`` (a function exercise) in ``code``."""
    name = re.escape(variable)
    return re.search(rf"(?<![\w.]){name}\s*(?::[^=\n]*)?=(?!=)|^\s*def\s+{name}\s*\(", code, re.M) is not None


def _source(cell) -> str:
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    if isinstance(source, list):
        source = "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def read_notebook(data: bytes) -> tuple[dict | None, str | None]:
    """Parse notebook JSON: (notebook, None) or (None, why it is not a notebook)."""
    if not data.strip():
        return None, "empty file"
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, "not a notebook: the file is not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, f"not a notebook: invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        return None, "not a notebook: JSON nested too deeply"
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        return None, "not a notebook: the JSON has no list of cells"
    return raw, None


def prepare(entry: Entry, assignment: Assignment) -> None:
    """Read, check and reduce one submission: set ``entry.cells`` or ``entry.failure``."""
    try:
        data = notebook_bytes(entry)
    except ValueError as exc:
        entry.failure = str(exc)
        return
    entry.notebook_sha = hashlib.sha256(data).hexdigest()
    nb, why = read_notebook(data)
    if nb is None:
        entry.failure = why
        return
    cells = [c for c in nb["cells"] if isinstance(c, dict)]
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    otter_meta = meta.get("otter") if isinstance(meta.get("otter"), dict) else {}
    declared = otter_meta.get("assignment_name")
    if declared is not None and declared != assignment.name:
        entry.failure = f"wrong assignment: this notebook is for {str(declared)[:80]!r}, not {assignment.name!r}"
        return

    code_cells = [(number, _source(c)) for number, c in enumerate(cells, start=1) if c.get("cell_type") == "code"]
    code = "\n".join(source for _, source in code_cells)
    missing = [
        q
        for q in assignment.questions
        if assignment.answers.get(q) and not any(_assigned(v, code) for v in assignment.answers[q])
    ]
    if assignment.answers and len(missing) == len(assignment.questions):
        what = "no otter metadata and none" if declared is None else "none"
        shown = assignment.answer_names[:6] + (["..."] if len(assignment.answer_names) > 6 else [])
        entry.failure = f"wrong notebook: {what} of this assignment's answers ({', '.join(shown)}) is set"
        return
    if declared is None:
        entry.notes.append(f"otter metadata missing (graded as {assignment.name})")
    if missing:
        entry.notes.append("no answer cell for " + ", ".join(missing))
    released = [int(m.group(1)) for c in cells if (m := RELEASED_CELL_ID.match(str(c.get("id", ""))))]
    if released != sorted(released):
        entry.notes.append("cells reordered")
    if released:
        gaps = set(range(min(released), max(released) + 1)) - set(released)
        if gaps:
            entry.notes.append(f"{len(gaps)} released cell{'s' if len(gaps) > 1 else ''} deleted")
    entry.cells = [
        {"number": number, "source": "" if is_setup_cell(source) else source} for number, source in code_cells
    ]


class RosterError(ValueError):
    """The roster file cannot be used; the message names the line."""


def read_roster(path: Path) -> dict[str, str]:
    """``{submission file: roster id}`` from a CSV with columns ``file`` and ``student_id``
    (the roster the exports use too; other columns are ignored)."""
    import csv

    from mlsys_lab.course.variants import ROSTER_ID

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc})") from exc
    if not rows or not {"file", "student_id"} <= set(rows[0]):
        raise RosterError(f"{path}: the roster needs the columns file and student_id")
    roster = {}
    for line, row in enumerate(rows, start=2):
        file, student = (row.get("file") or "").strip(), (row.get("student_id") or "").strip()
        if not file or not ROSTER_ID.match(student):
            raise RosterError(f"{path}, line {line}: needs a file and a roster id (letters, digits, . _ @ + -)")
        if file in roster:
            raise RosterError(f"{path}, line {line}: {file} is listed twice")
        roster[file] = student
    return roster


def cache_key(entry: Entry, assignment: Assignment) -> str:
    """Names a grading job: the code to run, whose numbers, the autograder and this grader's
    version."""
    h = hashlib.sha256()
    for part in (GRADER_VERSION, assignment.zip_sha256, entry.student or "", entry.code or "", entry.missing or ""):
        h.update(part.encode() + b"\0")
    h.update(json.dumps(entry.cells, sort_keys=True).encode())
    return h.hexdigest()
