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
    for platforms whose containers forbid user namespaces (Gradescope): the runner runs as an
    unprivileged uid in its own session; the caller makes the tests and results unreadable to it.
``none``
    ``--no-sandbox``: the runner runs as the grader's own user. Loudly reported in every status.

In every mode the runner gets the limits of :class:`Limits` (address space, file size, process
count, no core files), the grader kills its whole process tree at the wall-clock deadline, and
nothing it prints is trusted: messages are bounded and parsed here, and the answers file is
re-validated by the scorer.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import messages as m
from .processes import kill_tree

RUNNER_DIR = Path(__file__).resolve().parent
"""Holds runner.py and answers.py, the only grader code the sandbox can see (no secrets)."""

MESSAGE_CAP = 4 << 20
"""Bytes of runner messages read per run; the rest is dropped and the run flagged."""
STDERR_CAP = 16 << 10
SANDBOX_UID_BASE = 1_900_000_000
"""Unprivileged uids used for sandboxes when the grader runs as root: base + 8 x the grading
process's id + slot, so no two live sandboxes on a host share one."""

ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/fonts",
    "/etc/alternatives",
    "/etc/mime.types",
)

THREAD_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
}

MODES = ("bwrap", "user", "none")


class SandboxUnavailable(RuntimeError):
    """The requested sandbox cannot run here; the message names the fix."""


@dataclass(frozen=True)
class Limits:
    """What one run of a submission may use."""

    timeout: float = 120.0
    memory_mb: int = 2048
    file_mb: int = 64
    """RLIMIT_FSIZE: no single file may grow beyond this."""
    tmp_mb: int = 256
    """Size of the private /tmp (and HOME) tmpfs in bwrap mode."""
    nproc: int = 256
    """RLIMIT_NPROC: processes and threads, counted inside the sandbox's user namespace."""

    def key(self) -> dict:
        return {"timeout": float(self.timeout), "memory_mb": int(self.memory_mb)}


# --------------------------------------------------------------------------------------------
# checking what is available


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def check_available(mode: str) -> None:
    """Raise :class:`SandboxUnavailable` with the fix when ``mode`` cannot run here."""
    if mode not in MODES:
        raise SandboxUnavailable(f"unknown sandbox mode {mode!r}")
    if mode == "bwrap":
        exe = bwrap_path()
        if exe is None:
            raise SandboxUnavailable(
                "bubblewrap (bwrap) is not installed: install it (Debian/Ubuntu: "
                "`sudo apt-get install bubblewrap`), or grade with --no-sandbox on a machine you "
                "can throw away"
            )
        probe = Sandbox("bwrap", slot=0)
        proc = subprocess.run(
            probe.command(["/bin/true"], {}),
            preexec_fn=probe.preexec(Limits()),
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            detail = proc.stderr.strip().splitlines()[-1:] or ["no message"]
            raise SandboxUnavailable(
                f"bubblewrap cannot create its namespaces here ({detail[0]}). Unprivileged user "
                "namespaces must be enabled: `sudo sysctl -w kernel.unprivileged_userns_clone=1` "
                "(Debian) or `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` "
                "(Ubuntu 24.04), or in a container run with --security-opt seccomp=unconfined; "
                "or grade with --no-sandbox on a machine you can throw away"
            )
    if mode == "user" and os.geteuid() != 0:
        raise SandboxUnavailable("the 'user' sandbox drops to an unprivileged uid, which needs root")


# --------------------------------------------------------------------------------------------
# the sandbox command


def _others_can_reach(path: Path) -> bool:
    """Can a stranger (another uid) read ``path`` and traverse every folder above it?"""
    try:
        for parent in [path, *path.parents]:
            mode = os.stat(parent).st_mode
            if not mode & stat.S_IXOTH:
                return False
        return bool(os.stat(path).st_mode & stat.S_IROTH)
    except OSError:
        return False


def course_import_path() -> list[str]:
    """The folder holding the course package, for the runner's sys.path."""
    import importlib.util

    spec = importlib.util.find_spec("mlsys_lab")
    if spec is None or not spec.submodule_search_locations:
        return []
    return [str(Path(list(spec.submodule_search_locations)[0]).resolve().parent)]


def course_paths() -> list[Path]:
    """Folders the runner needs, read-only: the Python installation, the virtual environment
    and the course package (wherever it is installed; only that folder, never its parent)."""
    import importlib.util

    paths = [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]
    spec = importlib.util.find_spec("mlsys_lab")
    if spec is not None and spec.submodule_search_locations:
        paths.append(Path(list(spec.submodule_search_locations)[0]).resolve())
    unique = []
    for path in paths:
        if path not in unique and not any(path.is_relative_to(p) for p in unique):
            unique = [p for p in unique if not p.is_relative_to(path)] + [path]
    return unique


class Sandbox:
    """How to start the runner for one worker ``slot`` in ``mode``.

    ``hide`` lists folders the runner must not see at all in ``user`` mode (the autograder's
    own folder on Gradescope); in ``bwrap`` mode nothing outside the binds exists anyway."""

    def __init__(
        self, mode: str, slot: int = 0, mpl_cache: Path | None = None, hide: tuple = (), runner_dir: Path | None = None
    ):
        self.mode = mode
        self.runner_dir = Path(runner_dir) if runner_dir else RUNNER_DIR
        self.slot = slot
        self.mpl_cache = mpl_cache
        self.hide = [Path(h) for h in hide]
        self.root = os.geteuid() == 0
        # a uid of its own for every live sandbox on this host (the process id makes it unique
        # across concurrent graders): its process count and its clean-up touch nothing else
        self.uid = (
            SANDBOX_UID_BASE + (os.getpid() << 3) + (slot & 7) if self.root and mode in ("bwrap", "user") else None
        )
        self.binds = [(p, p) for p in course_paths()] + [(self.runner_dir, Path("/opt/mlsys-grader"))]
        if mpl_cache is not None:
            self.binds.append((Path(mpl_cache), Path("/opt/mlsys-mpl")))
        # a stranger uid must be able to reach what it runs (a Python under /root, say)
        self.expose = [p for p, _ in self.binds if self.uid is not None and not _others_can_reach(p)]

    def runner_argv(self) -> list[str]:
        runner = (Path("/opt/mlsys-grader") if self.mode == "bwrap" else self.runner_dir) / "runner.py"
        return [sys.executable, "-E", "-s", str(runner)]

    def environment(self, home: str) -> dict:
        env = {
            "HOME": home,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": f"{home}/.config/matplotlib",
            "IPYTHONDIR": f"{home}/.ipython",
            "TMPDIR": "/tmp" if self.mode == "bwrap" else home,
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            "MLSYS_GRADING": "1",
            **THREAD_ENV,
        }
        if self.mpl_cache is not None:
            env["MLSYS_MPL_CACHE"] = "/opt/mlsys-mpl" if self.mode == "bwrap" else str(self.mpl_cache)
        return env

    def command(self, argv: list[str], env: dict, tmp_mb: int = 256) -> list[str]:
        if self.mode != "bwrap":
            return argv
        cmd = [
            bwrap_path() or "bwrap",
            "--unshare-user",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--disable-userns",
            "--die-with-parent",
            "--new-session",
            "--hostname",
            "grader",
        ]
        # the private /tmp first: a course folder bound below /tmp (Gradescope's copy, a test's)
        # must stay visible on top of it
        cmd += ["--size", str(tmp_mb << 20), "--perms", "1777", "--tmpfs", "/tmp"]
        for source, dest in self.binds:
            cmd += ["--ro-bind", str(source), str(dest)]
        for name in ("bin", "lib", "lib64", "sbin", "lib32", "libx32"):
            host = Path("/") / name
            if host.is_symlink():
                cmd += ["--symlink", os.readlink(host), str(host)]
            elif host.is_dir():
                cmd += ["--ro-bind", str(host), str(host)]
        cmd += ["--ro-bind", "/usr", "/usr"]
        for path in ETC_FILES:
            cmd += ["--ro-bind-try", path, path]
        cmd += ["--proc", "/proc", "--dev", "/dev"]
        cmd += ["--dir", env.get("HOME", "/tmp/home"), "--chdir", env.get("HOME", "/tmp/home")]
        cmd += ["--clearenv"]
        for key, value in sorted(env.items()):
            cmd += ["--setenv", key, value]
        return cmd + ["--", *argv]

    def preexec(self, limits: Limits, home: str | None = None):
        expose, hide, uid, mode = list(self.expose), list(self.hide), self.uid, self.mode
        binds = list(self.binds)

        def run_in_child() -> None:
            os.setsid()
            if uid is not None and (expose or mode == "user"):
                isolate = mode == "user"
                _private_view(
                    expose,
                    hide if isolate else [],
                    isolate=isolate,
                    private_tmp=(limits.tmp_mb, home, uid) if isolate else None,
                    keep=[source for source, _ in binds],
                )
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb << 20, limits.file_mb << 20))
            cap = limits.memory_mb << 20
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.nproc, limits.nproc))

        return run_in_child


_MS_BIND, _MS_REC, _MS_PRIVATE = 4096, 16384, 1 << 18
_CLONE_NEWNS, _CLONE_NEWNET, _CLONE_NEWIPC, _CLONE_NEWUTS = 0x20000, 0x40000000, 0x08000000, 0x04000000


def _private_view(expose: list[Path], hide: list[Path], isolate: bool, private_tmp=None, keep=()) -> None:
    """In the forked child, still root: a private mount namespace in which each folder of
    ``expose`` (a Python under /root, say) can be reached by a stranger uid, and each folder of
    ``hide`` is covered by an empty one. With ``isolate``, also no network and private IPC.
    Where the platform forbids namespaces (a default Docker container), the file permissions
    set by the caller are all there is, and that is said in the row's status."""
    libc = ctypes.CDLL(None, use_errno=True)
    flags = _CLONE_NEWNS | (_CLONE_NEWNET | _CLONE_NEWIPC | _CLONE_NEWUTS if isolate else 0)
    if libc.unshare(flags) != 0:
        if isolate:
            os.environ["MLSYS_NO_NAMESPACES"] = "1"
            return
        raise OSError(ctypes.get_errno(), "unshare failed")
    if libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        raise OSError(ctypes.get_errno(), "making mounts private failed")
    fds = {path: os.open(path, os.O_PATH) for path in expose}
    covers = []
    for path in expose:
        top = next((a for a in reversed([path, *path.parents]) if not _others_can_traverse(a)), None)
        if top is not None and top not in covers and top != path:
            covers.append(top)
    for top in covers:
        if libc.mount(b"tmpfs", str(top).encode(), b"tmpfs", 0, b"mode=755,size=1m") != 0:
            raise OSError(ctypes.get_errno(), f"covering {top} failed")
    for path, fd in fds.items():
        os.makedirs(path, exist_ok=True)
        if libc.mount(f"/proc/self/fd/{fd}".encode(), str(path).encode(), None, _MS_BIND | _MS_REC, None) != 0:
            raise OSError(ctypes.get_errno(), f"bind-mounting {path} failed")
        os.close(fd)
    for path in hide:
        if path.exists():
            libc.mount(b"tmpfs", str(path).encode(), b"tmpfs", 0, b"mode=700,size=1m")
    if private_tmp is not None:  # writable places that vanish with the run, size-capped
        size_mb, home, uid = private_tmp
        covered = [Path(p) for p in ("/tmp", "/var/tmp", "/dev/shm") if os.path.isdir(p)]
        # what the runner needs and that lives below them (a course copy in a test's /tmp)
        kept = {Path(k): os.open(k, os.O_PATH) for k in keep if any(Path(k).is_relative_to(c) for c in covered)}
        for path in covered:
            options = f"mode=1777,size={size_mb}m".encode()
            if libc.mount(b"tmpfs", str(path).encode(), b"tmpfs", 0, options) != 0:
                raise OSError(ctypes.get_errno(), f"a private {path} failed")
        for path, fd in kept.items():
            os.makedirs(path, exist_ok=True)
            if libc.mount(f"/proc/self/fd/{fd}".encode(), str(path).encode(), None, _MS_BIND | _MS_REC, None) != 0:
                raise OSError(ctypes.get_errno(), f"keeping {path} failed")
            os.close(fd)
        if home:
            os.makedirs(home, exist_ok=True)
            os.chown(home, uid, uid)
            os.chdir(home)


def _others_can_traverse(path: Path) -> bool:
    try:
        return bool(os.stat(path).st_mode & stat.S_IXOTH)
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# one run


@dataclass
class Attempt:
    """What one start of the runner produced (all of it untrusted but bounded)."""

    done: bool = False
    answers: str | None = None
    cell: int | None = None  # the cell running when the run ended
    cell_started: float = 0.0
    errors: list = field(default_factory=list)  # [cell number, exception name]
    timed_out: bool = False
    signal: str | None = None
    exit_code: int | None = None
    stderr: str = ""
    flooded: bool = False
    seconds: float = 0.0


def run_once(sandbox: Sandbox, job: m.ExecuteJob, limits: Limits) -> Attempt:
    """Start the runner once on ``job``'s cells; wait for it, at most ``limits.timeout``."""
    home = "/tmp/home" if sandbox.mode == "bwrap" else None
    private = None
    if home is None:
        private = Path(tempfile.mkdtemp(prefix="mlsys-run-"))
        home = str(private / "home")
        os.makedirs(home)
        if sandbox.uid is not None:
            for path in (private, Path(home)):
                os.chown(path, sandbox.uid, sandbox.uid)
    env = sandbox.environment(home)
    argv = sandbox.runner_argv()
    read_end, write_end = os.pipe()
    os.set_inheritable(write_end, True)
    attempt = Attempt()
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            sandbox.command(argv, env, limits.tmp_mb),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=tuple(sorted({write_end, 3})),  # fd 3 is set by the pre-exec hook
            preexec_fn=_with_fd3(sandbox.preexec(limits, home), write_end),
            env=env if sandbox.mode != "bwrap" else {"PATH": "/usr/bin:/bin"},
            cwd=home if sandbox.mode != "bwrap" else "/",
        )
    finally:
        os.close(write_end)
    try:
        try:
            proc.stdin.write(
                json.dumps({"cells": job.cells, "names": job.names, "path": job.path, "variant": job.variant}).encode()
            )
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        _collect(proc, read_end, attempt, start + limits.timeout)
    finally:
        os.close(read_end)
        if not attempt.timed_out and not attempt.flooded:
            try:  # the runner is done or gone: let it exit on its own to learn how it ended
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        kill_tree(proc)
        try:
            attempt.stderr = proc.stderr.read(STDERR_CAP).decode("utf-8", "replace")
        except (OSError, ValueError):
            pass
        proc.stderr.close()
        status = proc.wait()
        if status < 0 and not attempt.timed_out and not attempt.done:
            try:
                attempt.signal = signal.Signals(-status).name
            except ValueError:
                attempt.signal = str(-status)
        elif status > 128 and sandbox.mode == "bwrap" and not attempt.done:
            try:  # bwrap reports a child killed by a signal as 128 + its number
                attempt.signal = signal.Signals(status - 128).name
            except ValueError:
                attempt.exit_code = status
        elif status > 0:
            attempt.exit_code = status
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
        _drain_uid(sandbox.uid)
    attempt.seconds = time.monotonic() - start
    return attempt


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
            if attempt.done:
                return


def _take(line: bytes, attempt: Attempt) -> None:
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return
    if type(message) is not dict:
        return
    kind = message.get("t")
    number = message.get("n")
    if kind == "cell" and type(number) is int:
        attempt.cell = number or None
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


def execute(sandbox: Sandbox, job: m.ExecuteJob, limits: Limits) -> m.Execution:
    """Run ``job`` in ``sandbox``; if one cell hangs or kills the runner, run once more with
    that cell blanked, so that the submission loses only what depends on it."""
    cells = list(job.cells)
    skipped: list[str] = []
    limited = False
    attempt = Attempt()
    for run in (1, 2):
        attempt = run_once(
            sandbox, m.ExecuteJob(cells=cells, names=job.names, path=job.path, variant=job.variant), limits
        )
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
            answers=attempt.answers, notes=notes, cell_errors=attempt.errors, limited=limited, seconds=attempt.seconds
        )
    failure = _failure(attempt, limits, sandbox)
    return m.Execution(
        answers=None,
        notes=notes,
        cell_errors=attempt.errors,
        limited=limited,
        failure=failure,
        seconds=attempt.seconds,
        transient=failure.startswith("the sandbox could not start"),
    )


def _where(attempt: Attempt) -> str:
    return f"cell {attempt.cell}" if attempt.cell else "the start-up"


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
    if attempt.cell is None and attempt.answers is None and not attempt.errors:
        detail = " ".join(attempt.stderr.strip().splitlines()[-1:])[:200]
        if sandbox.mode == "bwrap" and "bwrap" in detail:
            return f"the sandbox could not start ({detail})"
        if attempt.signal:
            return f"the notebook's process was killed by {attempt.signal} before any cell ran"
        return "the notebook's process stopped before any cell ran" + (f" ({detail})" if detail else "")
    if attempt.signal:
        return f"the notebook's process was killed by {attempt.signal} while running {_where(attempt)}"
    return f"the notebook's process exited while running {_where(attempt)}"
