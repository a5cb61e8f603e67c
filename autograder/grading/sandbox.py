"""Stage 1: run one submission's code in a sandbox and bring back its answers file.

The student's code runs in :mod:`autograder.grading.runner`, started here in one of three ways:

``bwrap`` (the default)
    bubblewrap: new user, PID, network, IPC and UTS namespaces, no network at all (a private
    loopback), a read-only view of ``/usr``, a few files of ``/etc``, the Python installation and
    the course package; a private ``/tmp`` (holding ``HOME``) on a size-capped tmpfs that vanishes
    with the run. The hidden tests, the autograder zip, the instructor's files and other
    submissions are simply not in its file system. When the grader runs as root the sandbox runs
    as an unprivileged uid of its own (one per worker), so ``RLIMIT_NPROC`` applies.
``user``
    for platforms whose containers forbid user namespaces (Gradescope) and for root without
    bubblewrap: the runner runs as an unprivileged uid with ``no_new_privs``, in its own mount,
    PID, network, IPC and UTS namespaces (root's ``CAP_SYS_ADMIN`` makes them), as PID 1 of its
    PID namespace, in a root built like bubblewrap's (read-only ``/usr``, a few ``/etc`` files,
    Python and the course; a private size-capped ``/tmp``; a fresh ``/proc``; no network). Where
    the namespaces cannot be made it refuses to start, unless the instructor passed
    ``--unsafe-no-isolation``: then it runs on file permissions alone and every status says so.
``none``
    only with ``--unsafe-no-isolation`` (or ``MLSYS_SANDBOX=none``): the runner runs as the
    grader's own user. Loudly reported in every status.

What a mode really gives is measured, not assumed: :mod:`autograder.grading.isolation` starts a
probe exactly as the runner is started and records what it saw.

In every mode the runner gets the limits of :class:`Limits` (address space, file size, process
count, no core files), the grader kills its whole process tree at the wall-clock deadline, and
nothing it prints is trusted: messages are bounded and parsed here, and the answers file is
re-validated by the scorer.

This module starts the runner *cold* (a new sandbox and interpreter per run). The local pool
starts it *warm* in ``bwrap`` mode (:mod:`autograder.grading.warm`): a zygote per worker has
paid the imports, and each run is a child of it in namespaces of its own; :func:`execute` takes
either start. The modes' machinery: :mod:`~autograder.grading.confinement` (limits, the
bubblewrap command, the pre-exec hook) and :mod:`~autograder.grading.namespaces`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import messages as m
from .confinement import (
    MODES,
    RUNNER_DIR,
    Limits,
    Sandbox,
    SandboxUnavailable,
    check_available,
    course_import_path,
    course_paths,
)
from .processes import kill_tree

__all__ = [
    "MODES",
    "RUNNER_DIR",
    "Attempt",
    "Limits",
    "Sandbox",
    "SandboxUnavailable",
    "check_available",
    "course_import_path",
    "course_paths",
    "execute",
    "run_once",
    "start_child",
]

MESSAGE_CAP = 4 << 20
"""Bytes of runner messages read per run; the rest is dropped and the run flagged."""
STDERR_CAP = 16 << 10


# --------------------------------------------------------------------------------------------
# one run


@dataclass
class Attempt:
    """What one start of the runner produced (all of it untrusted but bounded)."""

    done: bool = False
    answers: str | None = None
    cell: int | None = None  # the cell running when the run ended
    started: bool = False  # the runner said it started (its set-up done, no cell yet)
    encoding: bool = False  # past the last cell: writing the answers file
    cell_started: float = 0.0
    errors: list = field(default_factory=list)  # [cell number, exception name]
    timed_out: bool = False
    signal: str | None = None
    exit_code: int | None = None
    stderr: str = ""
    flooded: bool = False
    seconds: float = 0.0
    fresh: dict | None = None  # warm executor: what the child got, reported before any student code
    refused: str | None = None  # warm executor: why the child would not run the runner
    notes: list = field(default_factory=list)  # said in the row (a cold start instead of a warm one)


def _spawn(sandbox: Sandbox, argv: list[str], limits: Limits, stdin: bytes):
    """Start ``argv`` in ``sandbox`` as the runner is started (the probe uses this too). Returns
    the process, the read end of its message pipe (its fd 3) and the run's private host folder."""
    home = "/tmp/home" if sandbox.mode == "bwrap" else None
    private = stage = None
    if home is None:
        private = Path(tempfile.mkdtemp(prefix="mlsys-run-"))
        home = str(private / "home")
        os.makedirs(home)
        if sandbox.uid is not None:
            for path in (private, Path(home)):
                os.chown(path, sandbox.uid, sandbox.uid)
        if sandbox.mode == "user":
            stage = str(private / "root")
            os.makedirs(stage)
    env = sandbox.environment(home)
    read_end, write_end = os.pipe()
    os.set_inheritable(write_end, True)
    try:
        proc = subprocess.Popen(
            sandbox.command(argv, env, limits.tmp_mb),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=tuple(sorted({write_end, 3})),  # fd 3 is set by the pre-exec hook
            preexec_fn=_with_fd3(sandbox.preexec(limits, home, stage), write_end),
            env=env if sandbox.mode != "bwrap" else {"PATH": "/usr/bin:/bin"},
            cwd=home if sandbox.mode != "bwrap" else "/",
        )
    except BaseException:
        os.close(read_end)
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
        raise
    finally:
        os.close(write_end)
    try:
        proc.stdin.write(stdin)
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        pass
    return proc, read_end, private


def _reap(proc, sandbox: Sandbox, read_end: int, private: Path | None, patient: bool) -> tuple[int, str]:
    """End what :func:`_spawn` started: its exit status and the start of its stderr."""
    os.close(read_end)
    if patient:
        try:  # the runner is done or gone: let it exit on its own to learn how it ended
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    kill_tree(proc)
    stderr = ""
    try:
        stderr = proc.stderr.read(STDERR_CAP).decode("utf-8", "replace")
    except (OSError, ValueError):
        pass
    proc.stderr.close()
    status = proc.wait()
    if private is not None:
        shutil.rmtree(private, ignore_errors=True)
    _drain_uid(sandbox.uid)
    return status, stderr


def start_child(sandbox: Sandbox, argv: list[str], limits: Limits, stdin: bytes) -> tuple[dict | None, str]:
    """Run a short program (the isolation probe) in ``sandbox``; its first JSON line on fd 3, or
    None and why not."""
    proc, read_end, private = _spawn(sandbox, argv, limits, stdin)
    buffer, report = b"", None
    deadline = time.monotonic() + limits.timeout
    try:
        while b"\n" not in buffer and len(buffer) < 65536 and time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], max(0.0, min(1.0, deadline - time.monotonic())))
            if ready:
                chunk = os.read(read_end, 65536)
                if not chunk:
                    break
                buffer += chunk
    finally:
        status, stderr = _reap(proc, sandbox, read_end, private, patient=True)
    try:
        report = json.loads(buffer.split(b"\n", 1)[0]) if b"\n" in buffer else None
    except ValueError:
        report = None
    if type(report) is dict and type(report.get("ns")) is dict:
        return report, ""
    detail = " ".join(stderr.strip().splitlines()[-1:])[:300]
    return None, detail or f"exit status {status}"


def run_once(sandbox: Sandbox, job: m.ExecuteJob, limits: Limits) -> Attempt:
    """Start the runner once on ``job``'s cells; wait for it, at most ``limits.timeout``."""
    attempt = Attempt()
    start = time.monotonic()
    stdin = json.dumps(dataclasses.asdict(job)).encode()  # function exercises' inputs ride along
    proc, read_end, private = _spawn(sandbox, sandbox.runner_argv(), limits, stdin)
    try:
        _collect(proc, read_end, attempt, start + limits.timeout)
    finally:
        patient = not attempt.timed_out and not attempt.flooded
        status, attempt.stderr = _reap(proc, sandbox, read_end, private, patient)
        read_status(attempt, status, sandbox.mode in ("bwrap", "user"))
    attempt.seconds = time.monotonic() - start
    return attempt


def read_status(attempt: Attempt, status: int, namespaced: bool) -> None:
    """How the run ended, from its exit status (negative: the signal that killed it)."""
    if status < 0 and not attempt.timed_out and not attempt.done:
        try:
            attempt.signal = signal.Signals(-status).name
        except ValueError:
            attempt.signal = str(-status)
    elif status > 128 and namespaced and not attempt.done:
        try:  # bwrap, and user mode's PID-namespace parent, report a signal as 128 + its number
            attempt.signal = signal.Signals(status - 128).name
        except ValueError:
            attempt.exit_code = status
    elif status > 0:
        attempt.exit_code = status


def _drain_uid(uid: int | None, wait: float = 10.0) -> None:
    """Kill what still runs as the sandbox's uid and wait until it is gone: a fork bomb's
    dying processes would otherwise still count against the next run's process limit.
    Zombies left to us (the grader is a subreaper) are reaped."""
    if uid is None:
        return
    import psutil

    deadline = time.monotonic() + wait
    while True:
        running, me = [], os.getpid()
        for proc in psutil.process_iter(["uids", "status", "ppid"]):
            try:
                if not proc.info["uids"] or proc.info["uids"].real != uid:
                    continue
                if proc.info["status"] != psutil.STATUS_ZOMBIE:
                    proc.kill()
                    running.append(proc)
                elif proc.info["ppid"] == me:  # reparented to us (a subreaper): reap it
                    os.waitpid(proc.pid, os.WNOHANG)
            except (psutil.Error, ChildProcessError):
                pass
        if not running or time.monotonic() > deadline:
            return
        time.sleep(0.02)


def _with_fd3(preexec, fd: int):
    def run() -> None:
        preexec()
        if fd != 3:
            os.dup2(fd, 3)

    return run


def _collect(proc, fd: int, attempt: Attempt, deadline: float) -> None:
    buffer, total = b"", 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            attempt.timed_out = True
            return
        ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        total += len(chunk)
        if total > MESSAGE_CAP:
            attempt.flooded = True
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            _take(line, attempt)
            if attempt.done or attempt.refused:
                return


def _take(line: bytes, attempt: Attempt) -> None:
    if line.startswith(b"mlsys-sandbox:") and not attempt.started:  # a warm child that refused
        attempt.refused = line.decode("utf-8", "replace")[len("mlsys-sandbox:") :].strip()[:300]
        return
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return
    if type(message) is not dict:
        return
    kind = message.get("t")
    number = message.get("n")
    if kind == "start":
        attempt.started = True
    elif kind == "fresh" and not attempt.started and attempt.fresh is None:
        attempt.fresh = message
    elif kind == "cell" and type(number) is int:
        attempt.cell = number or None  # cell 0: every cell ran, the answers are being encoded
        attempt.encoding = number == 0
        attempt.cell_started = time.monotonic()
    elif kind == "error" and type(number) is int and len(attempt.errors) < 200:
        name = message.get("ename")
        attempt.errors.append([number, name[:60] if type(name) is str else "Error"])
    elif kind == "answers" and type(message.get("text")) is str and attempt.answers is None:
        attempt.answers = message["text"]
    elif kind == "done" and attempt.answers is not None:
        attempt.done = True


# --------------------------------------------------------------------------------------------
# a submission: at most two runs, the second without the cell that hung or crashed


def execute(sandbox: Sandbox, job: m.ExecuteJob, limits: Limits, start=None) -> m.Execution:
    """Run ``job`` in ``sandbox``; if one cell hangs or kills the runner, run once more with
    that cell blanked, so that the submission loses only what depends on it. ``start(job,
    limits)`` runs it once (default: :func:`run_once`, a cold start; the warm executor's)."""
    start = start or (lambda one_job, one_limits: run_once(sandbox, one_job, one_limits))
    cells = list(job.cells)
    skipped: list[str] = []
    limited = False
    attempt = Attempt()
    seconds = 0.0  # every run's time: a run that burned the timeout counts in the class report
    for run in (1, 2):
        attempt = start(dataclasses.replace(job, cells=cells), limits)
        skipped += [note for note in attempt.notes if note not in skipped]
        seconds += attempt.seconds
        limited = limited or attempt.timed_out or attempt.signal is not None
        if attempt.done:
            break
        cell, why = _blame(attempt, limits)
        if run == 2 or cell is None:
            break
        cells = [c if c["number"] != cell else {"number": cell, "source": ""} for c in cells]
        skipped.append(f"cell {cell} skipped: {why}")
    notes = list(skipped)
    for number, ename in attempt.errors:
        if ename == "MemoryError":
            limited = True
            notes.append(f"cell {number} hit the memory cap ({limits.memory_mb} MiB: MemoryError)")
        elif ename == "SystemExit":
            notes.append(f"cell {number} called sys.exit() (ignored)")
    if attempt.flooded:
        notes.append("the notebook wrote too many grader messages; the run was stopped")
    if attempt.done:
        return m.Execution(
            answers=attempt.answers, notes=notes, cell_errors=attempt.errors, limited=limited, seconds=seconds
        )
    failure = _failure(attempt, limits, sandbox)
    return m.Execution(
        answers=None,
        notes=notes,
        cell_errors=attempt.errors,
        limited=limited,
        failure=failure,
        seconds=seconds,
        transient=failure.startswith("the sandbox could not start"),
    )


def _where(attempt: Attempt) -> str:
    if attempt.encoding:
        return "the encoding of its answers, after the last cell"
    if attempt.cell:
        return f"cell {attempt.cell}"
    return "the start-up, before the first cell"


def _blame(attempt: Attempt, limits: Limits) -> tuple[int | None, str]:
    """The cell to blank for a second run, or None when the whole notebook is at fault."""
    if attempt.cell is None:
        return None, ""
    if attempt.timed_out:
        running_for = time.monotonic() - attempt.cell_started
        if running_for < limits.timeout / 2:
            return None, ""  # slow everywhere: blanking the cell that happened to run is unfair
        return attempt.cell, f"still running when the {limits.timeout:g} s timeout hit"
    if attempt.flooded:
        return attempt.cell, "it flooded the grader with messages"
    if attempt.signal:
        return attempt.cell, f"the notebook's process was killed by {attempt.signal}"
    return attempt.cell, "the notebook's process exited while running it (os._exit(), a crash)"


def _failure(attempt: Attempt, limits: Limits, sandbox: Sandbox) -> str:
    if attempt.timed_out:
        return f"timed out after {limits.timeout:g} s while running {_where(attempt)}"
    nothing_ran = not (attempt.started or attempt.cell or attempt.encoding or attempt.answers or attempt.errors)
    if nothing_ran:
        detail = " ".join(attempt.stderr.strip().splitlines()[-1:])[:200]
        if (sandbox.mode == "bwrap" and "bwrap" in detail) or detail.startswith("mlsys-sandbox:"):
            return f"the sandbox could not start ({detail})"
        if attempt.signal:
            return f"the notebook's process was killed by {attempt.signal} before any cell ran"
        return "the notebook's process stopped before any cell ran" + (f" ({detail})" if detail else "")
    if attempt.signal:
        return f"the notebook's process was killed by {attempt.signal} while running {_where(attempt)}"
    return f"the notebook's process exited while running {_where(attempt)}"
