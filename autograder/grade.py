"""Grade a folder of submissions on this machine: in parallel, with limits, nothing lost.

``otter grade`` needs a Docker engine; ``otter run`` grades one file at a time with no timeout.
This command grades a whole folder without Docker, with otter's own grader, and survives any
submission:

* a few long-lived **worker** processes import otter once; for each submission a worker forks a
  **grading child** that starts its own session (process group), caps its address space
  (``RLIMIT_AS``, inherited by the Jupyter kernel it starts) and runs
  ``otter.api.grade_submission``, exactly what ``otter run`` does;
* at the wall-clock timeout the worker kills the child's whole process tree (found with psutil:
  Jupyter starts kernels in a session of their own), and being a "child subreaper" it also
  catches anything that tried to escape by double-forking;
* when a cell hangs, kills the kernel or floods the grader, the submission is graded once more
  with that cell blanked, so it loses only what depends on that cell;
* every input file ends as exactly one CSV row with a status; results are cached in
  ``OUTDIR/.cache`` by content hash, so a second run skips what is already graded.

Usage::

    python -m autograder grade --assignment NN_topic --submissions DIR --out OUTDIR
        [--workers N] [--timeout SECONDS] [--memory-mb MB] [--autograder ZIP] [--regrade]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "autograder" / "dist"

GRADER_VERSION = "1"
"""Part of every cache key: bump it when a change here can change a score or a status."""

DEFAULT_TIMEOUT = 120
DEFAULT_MEMORY_MB = 2048
MAX_ATTEMPTS = 2
"""A first run, and one more with the cell that hung or killed the kernel blanked."""
MAX_INPUT_BYTES = 64 * 2**20
"""Largest submission file (or notebook inside a zip) that is read at all."""
OUTPUT_CAP_BYTES = 2 * 2**20
"""Cell outputs kept in memory while a notebook runs; the rest is dropped (grades never use it)."""
FILE_SIZE_CAP = 256 * 2**20
"""RLIMIT_FSIZE of the grading child and kernel: no single file written may grow beyond this."""
MESSAGE_CAP = 1000
"""Characters kept of a public check's message."""
WORKER_SLACK = 60
"""Seconds a worker may exceed its attempts' timeouts before the dispatcher kills it."""

LIMIT_ENV = {
    # one thread per numeric library: a normal notebook fits the address-space cap and
    # parallel kernels do not oversubscribe the cores
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "PYTHONHASHSEED": "0",
    "JUPYTER_PLATFORM_DIRS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}

KERNEL_STARTUP = """\
# Written by autograder.grade into this grading run's own IPYTHONDIR.
# rfc3987_syntax is an optional jsonschema plugin (it checks the "iri" format) that builds a
# parser grammar when imported: about a second of every kernel's start, used by nothing that
# grading does. Marking it absent makes jsonschema skip it, as when it is not installed.
import sys as _grader_sys
_grader_sys.modules.setdefault("rfc3987_syntax", None)
del _grader_sys
"""

CELL_ID = re.compile(r"^grader-cell-(\d+)$")
RELEASED_ID = re.compile(r"^cell-(\d+)$")
PR_SET_CHILD_SUBREAPER = 36


class GradeError(RuntimeError):
    """The batch cannot start (no autograder, no submissions folder, ...)."""


# ============================================================================================
# the assignment


@dataclass(frozen=True)
class Assignment:
    """What the autograder zip says about the assignment."""

    name: str
    zip_path: Path
    zip_sha256: str
    points: dict  # question -> points possible, in sorted order
    answers: dict  # question -> names of the variables its tests read

    @property
    def questions(self) -> list[str]:
        return sorted(self.points)

    @property
    def possible(self) -> float:
        return float(sum(self.points.values()))


def load_assignment(zip_path: Path, expected: str | None) -> Assignment:
    """Read the assignment name, questions and points from an otter autograder zip."""
    import ast

    from otter.nbmeta_config import NBMetadataConfig
    from otter.test_files import create_test_file

    data = _read_bytes(zip_path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = zf.namelist()
        config = json.loads(zf.read("otter_config.json")) if "otter_config.json" in names else {}
        tests = {n: zf.read(n).decode("utf-8") for n in names if re.fullmatch(r"tests/[^/]+\.py", n)}
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise GradeError(f"{zip_path}: not an otter autograder zip ({exc})") from exc
    if not tests:
        raise GradeError(f"{zip_path}: the autograder zip holds no tests/*.py")
    name = config.get("assignment_name") or expected or zip_path.stem
    if expected and name != expected:
        raise GradeError(f"{zip_path} is the autograder of {name!r}, not {expected!r}")
    points, answers = {}, {}
    with tempfile.TemporaryDirectory(prefix="mlsys-tests-") as tmp:
        for member, source in sorted(tests.items()):
            path = Path(tmp) / Path(member).name
            path.write_text(source, encoding="utf-8")
            parsed = create_test_file(str(path), NBMetadataConfig())
            points[parsed.name] = float(parsed.possible)
            variables = []
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.FunctionDef):
                    variables += [a.arg for a in node.args.args if a.arg != "env" and a.arg not in variables]
            answers[parsed.name] = variables
    return Assignment(name, zip_path, hashlib.sha256(data).hexdigest(), dict(sorted(points.items())), answers)


# ============================================================================================
# reading submissions


@dataclass
class Entry:
    """One input file and everything learnt about it."""

    rel: str
    path: Path
    notebook_sha: str | None = None  # hash of the notebook's bytes (duplicates)
    key: str | None = None  # cache key of the grading job
    payload: bytes | None = None  # the notebook to grade (outputs stripped, ids renumbered)
    failure: str | None = None  # why it is not graded at all
    notes: list = field(default_factory=list)
    result: dict | None = None


def discover(submissions: Path, out_dir: Path) -> tuple[list[Entry], list[str]]:
    """Every ``.ipynb`` and ``.zip`` under ``submissions`` (hidden files and folders, and the
    output folder, excluded), sorted by relative path; plus the relative paths passed over."""
    entries, passed_over = [], []
    out_resolved = out_dir.resolve()
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


def _read_bytes(path: Path, limit: int | None = None) -> bytes:
    with open(path, "rb") as f:
        return f.read() if limit is None else f.read(limit + 1)


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def notebook_bytes(entry: Entry) -> bytes:
    """The notebook of a submission: the file itself, or the single notebook in an otter zip.
    Raises ValueError with the reason a row gets when it is neither."""
    try:
        size = entry.path.stat().st_size
    except OSError as exc:
        raise ValueError(f"cannot read the file ({exc.strerror})") from exc
    if size > MAX_INPUT_BYTES:
        raise ValueError(f"file too large ({_mib(size)}; the limit is {_mib(MAX_INPUT_BYTES)})")
    try:
        data = _read_bytes(entry.path, MAX_INPUT_BYTES)
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
    except (zipfile.BadZipFile, RuntimeError, OSError, ValueError, EOFError) as exc:
        raise ValueError(f"cannot extract {member.filename} from the zip ({type(exc).__name__})") from exc
    if len(inner) > MAX_INPUT_BYTES:
        raise ValueError("the notebook in the zip is too large")
    return inner


def _assigned(variable: str, code: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(variable)}\s*(?::[^=\n]*)?=(?!=)", code) is not None


def prepare(entry: Entry, assignment: Assignment) -> None:
    """Read, check and clean one submission: set ``entry.payload`` or ``entry.failure``."""
    import nbformat

    try:
        data = notebook_bytes(entry)
    except ValueError as exc:
        entry.failure = str(exc)
        return
    entry.notebook_sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        entry.failure = "empty file"
        return
    try:
        text = data.decode("utf-8-sig")
        raw = json.loads(text)
    except UnicodeDecodeError:
        entry.failure = "not a notebook: the file is not UTF-8 text"
        return
    except json.JSONDecodeError as exc:
        entry.failure = f"not a notebook: invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        return
    except RecursionError:
        entry.failure = "not a notebook: JSON nested too deeply"
        return
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
        entry.failure = "not a notebook: the JSON has no list of cells"
        return
    try:
        nb = nbformat.reads(text, as_version=4)
        cells = list(nb.cells)
    except Exception as exc:  # nbformat raises many kinds on malformed structure
        entry.failure = f"not a readable notebook ({type(exc).__name__})"
        return

    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    otter_meta = meta.get("otter") if isinstance(meta.get("otter"), dict) else {}
    declared = otter_meta.get("assignment_name")
    if declared is not None and declared != assignment.name:
        entry.failure = f"wrong assignment: this notebook is for {str(declared)[:80]!r}, not {assignment.name!r}"
        return

    code = "\n".join(
        c.get("source", "") if isinstance(c.get("source", ""), str) else ""
        for c in cells
        if isinstance(c, dict) and c.get("cell_type") == "code"
    )
    missing = [q for q in assignment.questions if assignment.answers.get(q) and not any(_assigned(v, code) for v in assignment.answers[q])]
    if assignment.answers and len(missing) == len(assignment.questions):
        what = "no otter metadata and none" if declared is None else "none"
        entry.failure = (
            f"wrong notebook: {what} of this assignment's answers ({', '.join(_answer_names(assignment))}) is set"
        )
        return
    if declared is None:
        entry.notes.append(f"otter metadata missing (graded as {assignment.name})")
    if missing:
        entry.notes.append("no answer cell for " + ", ".join(missing))

    released = [int(m.group(1)) for c in cells if isinstance(c, dict) and (m := RELEASED_ID.match(str(c.get("id", ""))))]
    if released != sorted(released):
        entry.notes.append("cells reordered")
    if released:
        gaps = set(range(min(released), max(released) + 1)) - set(released)
        if gaps:
            entry.notes.append(f"{len(gaps)} released cell{'s' if len(gaps) > 1 else ''} deleted")

    clean = nbformat.v4.new_notebook()
    for index, cell in enumerate(cells, start=1):
        kind = cell.get("cell_type") if isinstance(cell, dict) else None
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if not isinstance(source, str):
            source = ""
        metadata = cell.get("metadata") if isinstance(cell, dict) and isinstance(cell.get("metadata"), dict) else {}
        metadata = {k: v for k, v in metadata.items() if k in ("tags", "otter", "deletable", "editable")}
        if kind == "code":
            new = nbformat.v4.new_code_cell(source, metadata=metadata)
        elif kind == "markdown":
            new = nbformat.v4.new_markdown_cell(source, metadata=metadata)
        else:
            new = nbformat.v4.new_raw_cell(source, metadata=metadata)
        new["id"] = f"grader-cell-{index:03d}"
        clean.cells.append(new)
    clean.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "otter": {**{k: v for k, v in otter_meta.items() if k != "assignment_name"}, "assignment_name": assignment.name},
    }
    entry.payload = nbformat.writes(clean).encode("utf-8")


def _answer_names(assignment: Assignment) -> list[str]:
    names = []
    for q in assignment.questions:
        names += [v for v in assignment.answers.get(q, []) if v not in names]
    return names[:6] + (["..."] if len(names) > 6 else [])


def cache_key(payload: bytes, assignment: Assignment) -> str:
    """Names a grading job: the cleaned notebook, the autograder and this grader's version.
    (The limits are not in it: see :func:`_usable`.)"""
    h = hashlib.sha256()
    for part in (GRADER_VERSION, assignment.zip_sha256):
        h.update(part.encode() + b"\0")
    h.update(payload)
    return h.hexdigest()


def _usable(cached: dict | None, limits: dict) -> bool:
    """A cached result is reused unless a limit shaped it and the limits have changed since
    (so a longer --timeout regrades only what timed out)."""
    if not cached or cached.get("transient"):
        return False
    return not cached.get("limited") or cached.get("limits") == limits


# ============================================================================================
# the worker: one long-lived process per core, forking one grading child per submission


def _set_subreaper() -> None:
    """Make orphaned descendants (a kernel whose parent died, a double-forked process) our
    children, so that they can be found and killed."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the psutil tree walk still works
        pass


def worker_main() -> None:
    """Entry point of a worker process (started by :class:`Worker`): grade the jobs read from
    stdin one at a time, answer each on the original stdout."""
    os.environ.update(LIMIT_ENV)
    # import everything a grading run needs once, before any fork
    import dill  # noqa: F401
    import jupyter_client.manager  # noqa: F401
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401
    import otter.api  # noqa: F401
    import otter.execute  # noqa: F401
    import otter.run.run_autograder  # noqa: F401
    import otter.run.run_autograder.runners.python_runner  # noqa: F401
    import psutil  # noqa: F401
    from nbconvert.preprocessors import ExecutePreprocessor  # noqa: F401

    _set_subreaper()
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            result = run_job(job)
        except Exception as exc:  # a bug here must not lose the submission's row
            result = {"ok": False, "reason": f"internal grader error ({type(exc).__name__}: {exc})", "transient": True}
        finally:
            _sweep_descendants()
            shutil.rmtree(job["dir"], ignore_errors=True)
        import resource

        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        out.write(json.dumps({"id": job["id"], "result": result, "peak_rss_kib": peak_kib}) + "\n")


def run_job(job: dict) -> dict:
    """Grade one notebook, blanking at most one cell that hung or killed the kernel."""
    notebook = Path(job["dir"]) / f"{job['assignment']}.ipynb"
    skipped: list[str] = []
    outcome: dict = {}
    limited = False  # did a limit (time, memory, signal) shape the result?
    for attempt in range(1, MAX_ATTEMPTS + 1):
        outcome = _attempt(job, notebook, attempt)
        limited = limited or outcome.get("limited", False)
        if outcome["kind"] == "ok":
            result = outcome["result"]
            result["notes"] = skipped + result.get("notes", [])
            result["limited"] = limited or result.pop("memory_error", False)
            return result
        if attempt == MAX_ATTEMPTS:
            break
        if outcome.get("before_student_code"):
            continue  # the kernel did not even start (a port taken meanwhile, ...): again, as is
        cell = outcome.get("cell")
        if cell is None:
            break
        _blank_cell(notebook, cell, outcome["why"])
        skipped.append(f"cell {cell} skipped: {outcome['why']}")
    return {
        "ok": False,
        "reason": outcome["reason"],
        "notes": skipped,
        "limited": limited,
        # not the submission's fault: not cached, so the next run tries again
        "transient": bool(outcome.get("before_student_code")),
    }


def _blank_cell(notebook: Path, number: int, why: str) -> None:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.get("id") == f"grader-cell-{number:03d}":
            cell.source = f"# [grader] this cell was not run: {why}"
    nbformat.write(nb, notebook)


def _attempt(job: dict, notebook: Path, attempt: int) -> dict:
    """Run one grading child with limits; classify how it ended."""
    adir = Path(job["dir"]) / f"attempt-{attempt}"
    for sub in ("tmp", "runtime", "ipython"):
        (adir / sub).mkdir(parents=True, exist_ok=True)
    result_path, progress_path = adir / "result.json", adir / "progress"
    timeout = float(job["timeout"])

    pid = os.fork()
    if pid == 0:  # the grading child
        code = 70
        try:
            code = _grading_child(job, notebook, adir)
        except BaseException:
            pass
        finally:
            os._exit(code)

    status = _wait(pid, timeout)
    timed_out = status is None
    if timed_out:
        _kill_tree(pid)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    _sweep_descendants()

    try:
        progress, started, student_started = progress_path.read_text(encoding="utf-8").split()
        running_for = time.time() - float(started)
    except (OSError, ValueError):
        progress, running_for, student_started = "", 0.0, "0"
    match = CELL_ID.match(progress)
    cell = int(match.group(1)) if match else None
    if cell is not None:
        where = f"cell {cell}"
    elif progress:
        where = "the tests" if student_started == "1" else "otter's set-up"
    else:
        where = "the kernel start"
    try:
        payload = json.loads(result_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        payload = None

    limit = f"{job['memory_mb']} MiB"
    before = not progress  # nothing of the notebook ran: the kernel did not start
    if timed_out:
        # blame the cell only if it used most of the time; otherwise the notebook as a whole is
        # too slow, and blanking the cell that happened to be running would be unfair
        blamed = cell if running_for >= timeout / 2 else None
        reason = f"timed out after {timeout:g} s while running {where}"
        why = f"still running when the {timeout:g} s timeout hit"
        return {"kind": "timeout", "cell": blamed, "why": why, "reason": reason, "limited": True, "before_student_code": before}
    if payload and payload.get("kind") == "ok":
        return {"kind": "ok", "result": payload["result"]}
    if payload and payload.get("kind") == "error":
        error, message = payload.get("error", ""), _sanitize(payload.get("message", ""), job["dir"])
        if error == "DeadKernelError" or "Kernel died" in message:
            why = "the kernel died while running it (os._exit(), exit() or a crash)"
            reason = f"the kernel died while running {where} (os._exit(), exit() or a crash)"
            return {"kind": "crashed", "cell": cell, "why": why, "reason": reason, "before_student_code": before}
        if error == "MemoryError":
            why = f"the grader ran out of memory ({limit}) collecting its output"
            reason = f"out of memory ({limit}) while running {where}"
            return {"kind": "error", "cell": cell, "why": why, "reason": reason, "limited": True}
        if error == "OtterRuntimeError":
            return {"kind": "error", "cell": None, "why": message, "reason": f"otter refused it: {message}"}
        reason = f"grading error while running {where}: {error}: {message}".strip()
        return {"kind": "error", "cell": cell, "why": f"grading failed there ({error})", "reason": reason, "before_student_code": before}
    # no result at all: the child was killed (by the kernel's OOM killer, a file size limit...)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            signame = signal.Signals(sig).name
        except ValueError:
            signame = str(sig)
        why = f"the grader was killed by {signame}"
        if sig == signal.SIGXFSZ:
            why += f" (a file grew beyond {_mib(FILE_SIZE_CAP)})"
        return {"kind": "crashed", "cell": cell, "why": why, "reason": f"{why} while running {where}", "limited": True, "before_student_code": before}
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
    return {
        "kind": "crashed",
        "cell": cell,
        "why": f"the grader exited with code {code}",
        "reason": f"the grader exited with code {code} while running {where}",
        "before_student_code": before,
    }


def _sanitize(message: str, job_dir: str) -> str:
    message = message.replace(job_dir, "<grading dir>")
    message = re.sub(r"/tmp/[\w.-]+", "<tmp>", message)
    message = re.sub(r"0x[0-9a-f]{6,}", "0x…", message)
    message = " ".join(message.split())
    return message[:300]


def _wait(pid: int, timeout: float):
    """Wait up to ``timeout`` s for a child; its wait status, or None if it is still running."""
    deadline = time.monotonic() + timeout
    pidfd = None
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            pidfd = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if pidfd is not None:
                select.select([pidfd], [], [], remaining)
            else:
                time.sleep(min(0.05, remaining))
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _kill_tree(pid: int) -> None:
    """SIGKILL a process, its process group and every descendant (kernels run in their own
    session, so the group alone is not enough). Repeats until nothing is left to kill."""
    import psutil

    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    for _ in range(10):
        try:
            root = psutil.Process(pid)
            procs = [root] + root.children(recursive=True)
        except psutil.Error:
            return
        alive = [p for p in procs if _alive(p)]
        if not alive or alive == [root] and root.status() == psutil.STATUS_ZOMBIE:
            return
        for p in alive:
            try:
                p.kill()
            except psutil.Error:
                pass
        time.sleep(0.02)


def _alive(proc) -> bool:
    import psutil

    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _sweep_descendants() -> None:
    """Kill and reap every remaining descendant of this process (orphans come here: we are a
    subreaper)."""
    import psutil

    me = psutil.Process()
    for _ in range(50):
        try:
            descendants = me.children(recursive=True)
        except psutil.Error:
            descendants = []
        for p in descendants:
            try:
                p.kill()
            except psutil.Error:
                pass
        while True:
            try:
                done, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                done = 0
            if not done:
                break
        if not descendants:
            return
        time.sleep(0.02)


def _grading_child(job: dict, notebook: Path, adir: Path) -> int:
    """Runs in the forked child: new session, limits, then otter's own containerless grader."""
    import resource

    os.setsid()
    log = os.open(adir / "log.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.environ.update(LIMIT_ENV)
    os.environ.update(
        TMPDIR=str(adir / "tmp"),
        JUPYTER_RUNTIME_DIR=str(adir / "runtime"),
        IPYTHONDIR=str(adir / "ipython"),
    )
    tempfile.tempdir = str(adir / "tmp")
    cap = int(job["memory_mb"]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_CAP, FILE_SIZE_CAP))
    startup = adir / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-grader.py").write_text(KERNEL_STARTUP, encoding="utf-8")
    os.chdir(adir)
    state = _patch_nbclient(adir / "progress")

    try:
        from otter.api import grade_submission

        results = grade_submission(str(notebook), job["zip"], quiet=True)
        payload = {"kind": "ok", "result": summarize(results, job, state)}
        if results.has_catastrophic_failure():
            payload = {"kind": "error", "error": "OtterRuntimeError", "message": str(results.catastrophic_error)}
    except BaseException as exc:  # noqa: BLE001 -- everything is reported, nothing escapes
        payload = {"kind": "error", "error": type(exc).__name__, "message": str(exc)[:2000]}
    tmp = adir / "result.json.tmp"
    tmp.write_text(json.dumps(payload), encoding="utf-8")
    os.replace(tmp, adir / "result.json")
    return 0


def _patch_nbclient(progress_path: Path) -> dict:
    """In the grading child only (never in the kernel): record which cell runs, so that a hang
    can be blamed on it; keep at most OUTPUT_CAP_BYTES of outputs in memory; and re-poll the
    kernel's sockets every half second instead of waiting on one poll forever.

    The last one is :func:`autograder.kernels.repoll_kernel_channels` (an upstream lost
    wake-up). Measured here with ipykernel 7.4: 3 hangs in 70 gradings of chapter notebooks,
    none in 40 with the re-poll."""
    from nbclient.client import NotebookClient
    from nbconvert.preprocessors.execute import ExecutePreprocessor

    from autograder.kernels import repoll_kernel_channels

    repoll_kernel_channels()

    state = {"bytes": 0, "truncated": False, "student_started": False}
    original_cell = ExecutePreprocessor.preprocess_cell
    original_output = NotebookClient.output

    def preprocess_cell(self, cell, resources, index):
        cell_id = str(cell.get("id", ""))
        state["student_started"] = state["student_started"] or bool(CELL_ID.match(cell_id))
        with open(progress_path, "w", encoding="utf-8") as f:
            f.write(f"{cell_id} {time.time():.3f} {int(state['student_started'])}")
        return original_cell(self, cell, resources, index)

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if msg.get("msg_type") == "error":
            content["traceback"] = list(content.get("traceback", []))[-20:]
            size = 0
        else:
            size = len(content.get("text", "") or "")
            for value in (content.get("data") or {}).values():
                size += len(value) if isinstance(value, str) else len(json.dumps(value))
        if state["bytes"] + size > OUTPUT_CAP_BYTES:
            state["truncated"] = True
            return None
        state["bytes"] += size
        return original_output(self, outs, msg, display_id, cell_index)

    ExecutePreprocessor.preprocess_cell = preprocess_cell
    NotebookClient.output = output
    return state


def _public_message(message) -> str:
    """The student-facing part of a failed public check: the exception line(s), not the code."""
    lines = str(message or "").strip().splitlines()
    if len(lines) >= 4 and lines[1].startswith("Error at line"):
        lines = lines[3:]
    elif lines and lines[0].startswith(("✅", "❌")):
        lines = lines[1:]
    text = "\n".join(lines).strip()
    return text if len(text) <= MESSAGE_CAP else text[:MESSAGE_CAP] + " …"


def summarize(results, job: dict, state: dict) -> dict:
    """GradingResults -> plain data. Hidden checks keep only pass/fail and points."""
    tests = {}
    for name in sorted(results.results):
        test_file = results.results[name]
        cases = []
        for tcr in test_file.test_case_results:
            hidden = bool(tcr.test_case.hidden)
            cases.append(
                {
                    "name": str(tcr.test_case.name),
                    "hidden": hidden,
                    "points": float(tcr.test_case.points or 0),
                    "passed": bool(tcr.passed),
                    "message": None if hidden else _public_message(tcr.message),
                }
            )
        tests[str(name)] = {"score": float(test_file.score), "possible": float(test_file.possible), "cases": cases}
    notes, errors, memory_error = [], [], False
    for cell in getattr(results.notebook, "cells", []) or []:
        match = CELL_ID.match(str(cell.get("id", "")))
        if not match or cell.get("cell_type") != "code":
            continue
        number = int(match.group(1))
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                ename = str(out.get("ename", "Error"))[:60]
                errors.append([number, ename])
                if ename == "MemoryError":
                    memory_error = True
                    notes.append(f"cell {number} hit the memory cap ({job['memory_mb']} MiB: MemoryError)")
                elif ename == "SystemExit":
                    notes.append(f"cell {number} called sys.exit() (ignored)")
    if state.get("truncated"):
        notes.append(f"outputs beyond {_mib(OUTPUT_CAP_BYTES)} dropped")
    return {"ok": True, "tests": tests, "notes": notes, "cell_errors": errors, "memory_error": memory_error}


# ============================================================================================
# the dispatcher


class Worker:
    def __init__(self, log_dir: Path, index: int):
        bootstrap = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import autograder.grade as g; g.worker_main()"
        env = dict(os.environ, **LIMIT_ENV)
        self.log = open(log_dir / f"worker-{index}.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", bootstrap],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
            start_new_session=True,
        )
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.buffer = b""
        self.job: dict | None = None
        self.deadline = 0.0

    def send(self, job: dict, deadline: float) -> None:
        self.job, self.deadline = job, deadline
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()

    def read_lines(self) -> tuple[list[dict], bool]:
        """Messages available now, and whether the worker's output has closed."""
        closed = False
        while True:
            try:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
            except BlockingIOError:
                break
            if not chunk:
                closed = True
                break
            self.buffer += chunk
        messages = []
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            if line.strip():
                messages.append(json.loads(line))
        return messages, closed

    def kill(self) -> None:
        _kill_tree(self.proc.pid)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.log.close()


class Progress:
    """A plain-text progress bar on stderr (a line per 10 % when stderr is not a terminal)."""

    def __init__(self, total: int, stream=None):
        self.total, self.stream = total, stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.monotonic()
        self.last_step = -1
        self.last_shown = None

    def update(self, done: int, failed: int, force: bool = False) -> None:
        if force and self.last_shown == (done, failed):
            return
        fraction = done / self.total if self.total else 1.0
        elapsed = time.monotonic() - self.start
        eta = f"  ~{_duration(elapsed / fraction - elapsed)} left" if 0 < fraction < 1 else ""
        width = 30
        filled = int(round(width * fraction))
        line = (
            f"[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {fraction:4.0%}"
            f"  failed {failed}  {_duration(elapsed)}{eta}"
        )
        if self.tty:
            self.stream.write("\r" + line.ljust(100)[:100] + ("\n" if done >= self.total else ""))
            self.stream.flush()
            self.last_shown = (done, failed)
        else:
            step = int(fraction * 10)
            if step != self.last_step or force:
                self.last_step = step
                self.stream.write(line + "\n")
                self.stream.flush()
                self.last_shown = (done, failed)


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def run_pool(jobs: list[dict], workers: int, timeout: float, log_dir: Path, on_result) -> dict:
    """Grade ``jobs`` on up to ``workers`` worker processes, calling ``on_result(job, result)``
    as each finishes. A worker that crashes or stops answering is killed (whole tree) and
    replaced; its submission gets a row saying so. Returns statistics."""
    pending = list(jobs)
    stats = {"peak_rss_kib": 0, "worker_restarts": 0}
    hard_limit = MAX_ATTEMPTS * (timeout + 15) + WORKER_SLACK
    log_dir.mkdir(parents=True, exist_ok=True)
    spawned = 0

    def spawn() -> Worker:
        nonlocal spawned
        spawned += 1
        return Worker(log_dir, spawned)

    pool = [spawn() for _ in range(max(1, min(workers, len(jobs))))]
    try:
        while pending or any(w.job for w in pool):
            if stats["worker_restarts"] > 2 * len(pool) + 5 and not any(w.job for w in pool):
                for job in pending:  # workers cannot even start: say so in every row
                    on_result(job, {"ok": False, "reason": f"the grader workers keep crashing (see {log_dir})", "notes": [], "transient": True})
                break
            for i, w in enumerate(pool):
                if w.job is None and pending:
                    job = pending.pop(0)
                    try:
                        w.send(job, time.monotonic() + hard_limit)
                    except OSError:  # the worker died before taking work
                        pending.insert(0, job)
                        w.job = None
                        w.kill()
                        pool[i] = spawn()
                        stats["worker_restarts"] += 1
            busy = [w for w in pool if w.job]
            if busy:
                select.select([w.proc.stdout.fileno() for w in busy], [], [], 0.5)
            for i, w in enumerate(pool):
                if not w.job:
                    continue
                messages, closed = w.read_lines()
                for msg in messages:
                    if w.job and msg.get("id") == w.job["id"]:
                        stats["peak_rss_kib"] = max(stats["peak_rss_kib"], int(msg.get("peak_rss_kib", 0)))
                        job, w.job = w.job, None
                        on_result(job, msg["result"])
                expired = w.job is not None and time.monotonic() > w.deadline
                if w.job is not None and (closed or expired or w.proc.poll() is not None):
                    job, w.job = w.job, None
                    reason = "the grader worker stopped responding" if expired else "the grader worker crashed"
                    w.kill()
                    on_result(job, {"ok": False, "reason": reason, "notes": [], "transient": True})
                    pool[i] = spawn()
                    stats["worker_restarts"] += 1
    finally:
        for w in pool:
            w.kill()
        _sweep_descendants()
    return stats


# ============================================================================================
# outputs


def _number(x: float) -> str:
    x = round(float(x), 4)
    return str(int(x)) if x.is_integer() else repr(x)


def row_of(entry: Entry, assignment: Assignment) -> tuple[dict, float, str]:
    """Scores per question, total and status of one input file."""
    scores = {q: 0.0 for q in assignment.questions}
    notes = list(entry.notes)
    result = entry.result
    if entry.failure:
        status = f"Failed: {entry.failure}"
    elif not result or not result.get("ok"):
        status = f"Failed: {(result or {}).get('reason', 'not graded')}"
        notes = (result or {}).get("notes", []) + notes
    else:
        tests = result.get("tests", {})
        for q in assignment.questions:
            if q in tests:
                scores[q] = float(tests[q]["score"])
            else:
                notes.append(f"no result for {q}")
        notes = result.get("notes", []) + notes
        status = "Completed"
    if notes:
        status += "; " + "; ".join(notes)
    return scores, sum(scores.values()), status


def write_csv(path: Path, entries: list[Entry], assignment: Assignment) -> None:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    questions = assignment.questions
    writer.writerow(["file", *questions, "total_points_earned", "percent_correct", "grading_status"])
    writer.writerow(
        ["points-per-question", *(_number(assignment.points[q]) for q in questions), _number(assignment.possible), "1", "--"]
    )
    for entry in entries:
        scores, total, status = row_of(entry, assignment)
        percent = round(total / assignment.possible, 4) if assignment.possible else 0
        writer.writerow([entry.rel, *(_number(scores[q]) for q in questions), _number(total), _number(percent), status])
    _write_atomic(path, buffer.getvalue().encode("utf-8"))


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def feedback_text(entry: Entry, assignment: Assignment) -> str:
    """The student's feedback: scores, public checks' messages, hidden checks as pass/fail only."""
    scores, total, status = row_of(entry, assignment)
    lines = [
        f"# Feedback: {entry.rel}",
        "",
        f"- Assignment: {assignment.name}",
        f"- Score: {_number(total)} / {_number(assignment.possible)}",
        f"- Status: {status}",
        "",
    ]
    result = entry.result if entry.result and entry.result.get("ok") and not entry.failure else None
    if result is None:
        lines += ["This submission could not be graded, so every question scores 0. Reason above.", ""]
    tests = (result or {}).get("tests", {})
    for q in assignment.questions:
        lines.append(f"## {q}: {_number(scores[q])} / {_number(assignment.points[q])}")
        lines.append("")
        cases = tests.get(q, {}).get("cases", [])
        if not cases:
            lines.append("- not graded")
        counts = {True: 0, False: 0}
        for case in cases:
            mark = "passed" if case["passed"] else "failed"
            counts[case["hidden"]] += 1
            if case["hidden"]:
                lines.append(f"- hidden check {counts[True]}: {mark}")
            else:
                lines.append(f"- public check {counts[False]}: {mark}")
                if not case["passed"] and case.get("message"):
                    lines += ["", *("    " + m for m in case["message"].splitlines()), ""]
        lines.append("")
    errors = (result or {}).get("cell_errors", [])
    if errors:
        shown = ", ".join(f"cell {n} ({name})" for n, name in errors[:10])
        lines += [f"Cells that raised an error when your notebook was run: {shown}.", ""]
    lines += [
        "Written (manually graded) questions are marked separately and are not included here.",
        "",
    ]
    return "\n".join(lines)


def write_feedback(out_dir: Path, entries: list[Entry], assignment: Assignment) -> None:
    for entry in entries:
        _write_atomic(out_dir / "feedback" / f"{entry.rel}.md", feedback_text(entry, assignment).encode("utf-8"))


# ============================================================================================
# the command


def grade(
    assignment_name: str,
    submissions: Path,
    out_dir: Path,
    autograder: Path | None = None,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    regrade: bool = False,
    stderr=None,
) -> dict:
    """Grade every submission under ``submissions``; write ``grades.csv`` and ``feedback/``.
    Returns a summary dictionary (also printed by :func:`main`)."""
    stderr = stderr or sys.stderr
    start = time.monotonic()
    submissions, out_dir = Path(submissions), Path(out_dir)
    autograder = Path(autograder) if autograder else DIST / f"{assignment_name}.zip"
    if not autograder.is_file():
        raise GradeError(f"no autograder at {autograder}: run `python -m autograder assign {assignment_name}` first")
    if not submissions.is_dir():
        raise GradeError(f"{submissions} is not a folder")
    if not workers:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    assignment = load_assignment(autograder, assignment_name)
    entries, passed_over = discover(submissions, out_dir)
    if not entries:
        raise GradeError(f"no .ipynb or .zip files under {submissions}")
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_dir = out_dir / ".cache"
    cache_dir.mkdir(exist_ok=True)

    for entry in entries:
        prepare(entry, assignment)
        if entry.payload is not None:
            entry.key = cache_key(entry.payload, assignment)
    same: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.notebook_sha:
            same.setdefault(entry.notebook_sha, []).append(entry)
    for group in same.values():
        for entry in group if len(group) > 1 else []:
            others = [e.rel for e in group if e is not entry]
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            entry.notes.append(f"identical content to {shown}")

    by_key: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.key:
            by_key.setdefault(entry.key, []).append(entry)
    from_cache = 0
    jobs = []
    limits = {"timeout": float(timeout), "memory_mb": int(memory_mb)}
    for key in sorted(by_key):
        cached = None if regrade else _read_cache(cache_dir / f"{key}.json")
        if _usable(cached, limits):
            for entry in by_key[key]:
                entry.result = cached
            from_cache += len(by_key[key])
        else:
            jobs.append(key)

    progress = Progress(len(entries), stderr)
    counters = {"done": len(entries) - sum(len(by_key[k]) for k in jobs), "failed": 0}
    counters["failed"] = sum(1 for e in entries if e.failure or (e.result and not e.result.get("ok")))
    progress.update(counters["done"], counters["failed"], force=True)
    stats = {"peak_rss_kib": 0, "worker_restarts": 0}
    graded = sum(len(by_key[k]) for k in jobs)
    if jobs:
        work_dir = Path(tempfile.mkdtemp(prefix="mlsys-grade-"))
        try:
            job_specs = []
            for i, key in enumerate(jobs):
                job_dir = work_dir / f"job-{i:05d}"
                job_dir.mkdir()
                (job_dir / f"{assignment.name}.ipynb").write_bytes(by_key[key][0].payload)
                job_specs.append(
                    {
                        "id": key,
                        "dir": str(job_dir),
                        "assignment": assignment.name,
                        "zip": str(assignment.zip_path.resolve()),
                        "timeout": timeout,
                        "memory_mb": memory_mb,
                    }
                )

            def on_result(job: dict, result: dict) -> None:
                result["limits"] = limits
                group = by_key[job["id"]]
                for entry in group:
                    entry.result = result
                if not result.get("transient"):
                    _write_atomic(cache_dir / f"{job['id']}.json", json.dumps(result, sort_keys=True).encode())
                counters["done"] += len(group)
                counters["failed"] += len(group) if not result.get("ok") else 0
                progress.update(counters["done"], counters["failed"])

            stats = run_pool(job_specs, workers, timeout, out_dir / ".logs", on_result)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
    progress.update(len(entries), counters["failed"], force=True)

    write_csv(out_dir / "grades.csv", entries, assignment)
    write_feedback(out_dir, entries, assignment)
    failed = []
    for entry in entries:
        _, _, status = row_of(entry, assignment)
        if status.startswith("Failed"):
            failed.append((entry.rel, status[len("Failed: ") :]))
    return {
        "files": len(entries),
        "graded": graded,
        "jobs": len(jobs),
        "from_cache": from_cache,
        "failed": failed,
        "passed_over": passed_over,
        "seconds": time.monotonic() - start,
        "workers": min(workers, len(jobs)) if jobs else 0,
        "peak_rss_mib": stats["peak_rss_kib"] / 1024,
        "worker_restarts": stats["worker_restarts"],
        "csv": str(out_dir / "grades.csv"),
    }


def _read_cache(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def format_summary(summary: dict) -> str:
    rate = summary["jobs"] / summary["seconds"] * 60 if summary["jobs"] and summary["seconds"] else 0
    lines = [
        f"{summary['files']} submission file(s) in {_duration(summary['seconds'])}: "
        f"{summary['graded']} graded now ({summary['jobs']} distinct notebooks, {summary['workers']} workers"
        + (f", {rate:.1f} per minute" if rate else "")
        + f"), {summary['from_cache']} from the cache of an earlier run, "
        f"{len(summary['failed'])} could not be graded.",
    ]
    for rel, why in summary["failed"][:30]:
        lines.append(f"  failed: {rel}: {why}")
    if len(summary["failed"]) > 30:
        lines.append(f"  ... and {len(summary['failed']) - 30} more (see grading_status in the CSV)")
    timed_out = sum(1 for _, why in summary["failed"] if why.startswith("timed out"))
    if timed_out:
        lines.append(f"  {timed_out} timed out: a run with a longer --timeout regrades only those")
    if summary["passed_over"]:
        shown = ", ".join(summary["passed_over"][:5]) + (" ..." if len(summary["passed_over"]) > 5 else "")
        lines.append(f"  not submissions (hidden, or not .ipynb/.zip): {len(summary['passed_over'])}: {shown}")
    if summary["worker_restarts"]:
        lines.append(f"  grader workers restarted: {summary['worker_restarts']}")
    if summary["peak_rss_mib"]:
        lines.append(f"  peak memory of one grading process: {summary['peak_rss_mib']:.0f} MiB")
    lines.append(f"grades: {summary['csv']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder grade", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--assignment", required=True, help="e.g. 01_ml_lifecycle")
    parser.add_argument("--submissions", required=True, type=Path, help="folder of .ipynb / otter .zip files")
    parser.add_argument("--out", required=True, type=Path, help="folder for grades.csv, feedback/ and the cache")
    parser.add_argument("--workers", type=int, default=None, help="submissions graded at once (default: one per core)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"wall-clock seconds per run (default {DEFAULT_TIMEOUT})")
    parser.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB, help=f"address-space cap of the kernel (default {DEFAULT_MEMORY_MB})")
    parser.add_argument("--autograder", type=Path, default=None, help="otter autograder zip (default autograder/dist/NAME.zip)")
    parser.add_argument("--regrade", action="store_true", help="ignore results cached by earlier runs")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1 or args.timeout <= 0 or args.memory_mb < 256:
        parser.error("--workers >= 1, --timeout > 0 and --memory-mb >= 256 please")
    _set_subreaper()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up (kill workers) on SIGTERM too
    try:
        summary = grade(
            args.assignment,
            args.submissions,
            args.out,
            autograder=args.autograder,
            workers=args.workers,
            timeout=args.timeout,
            memory_mb=args.memory_mb,
            regrade=args.regrade,
        )
    except GradeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: finished submissions are cached in OUT/.cache; run again to resume", file=sys.stderr)
        return 130
    print(format_summary(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
