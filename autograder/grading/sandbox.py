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
"""

from __future__ import annotations

import ctypes
import dataclasses
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
                "`sudo apt-get install bubblewrap`), or grade with --unsafe-no-isolation on a machine you "
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
                "or grade with --unsafe-no-isolation on a machine you can throw away"
            )
    if mode == "user" and os.geteuid() != 0:
        raise SandboxUnavailable("the 'user' sandbox drops to an unprivileged uid, which needs root")


# --------------------------------------------------------------------------------------------
# the sandbox command


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
        self,
        mode: str,
        slot: int = 0,
        mpl_cache: Path | None = None,
        hide: tuple = (),
        runner_dir: Path | None = None,
        unsafe: bool = False,
    ):
        self.mode = mode
        self.unsafe = unsafe
        """The instructor's --unsafe-no-isolation: ``user`` mode may then run without namespaces."""
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
        # a stranger uid must be able to reach what it runs (a Python under /root, say). Every
        # bind is exposed and the child covers what it cannot traverse *when it starts*: deciding
        # here, once per worker, raced with a run that opens /root for a moment and restores it
        self.expose = [p for p, _ in self.binds if self.uid is not None]

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

    def user_root(self) -> list[tuple[Path, Path]]:
        """``user`` mode: what the runner's root holds besides /usr, /etc files, /dev, /proc and
        /tmp: the course paths, the runner and the font cache, each at its own path."""
        sources = [p for p in course_paths()] + [self.runner_dir]
        if self.mpl_cache is not None:
            sources.append(Path(self.mpl_cache))
        return [(p, p) for p in sources]

    def preexec(self, limits: Limits, home: str | None = None, stage: str | None = None):
        """The hook run in the forked child before it executes the runner (or bwrap)."""
        expose, hide, uid, mode, unsafe = list(self.expose), list(self.hide), self.uid, self.mode, self.unsafe
        binds = self.user_root() if mode == "user" else []

        def run_in_child() -> None:
            os.setsid()
            if mode == "user" and uid is not None:
                if _unshare(_USER_MODE_NAMESPACES):
                    _become_pid_one()
                    _enter_user_root(stage, binds, hide, limits.tmp_mb, home, uid)
                elif not unsafe:
                    _refuse("no namespaces for the user sandbox (unshare: permission denied)")
            elif uid is not None and expose:
                _private_view(expose)
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb << 20, limits.file_mb << 20))
            cap = limits.memory_mb << 20
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            if mode != "bwrap":  # bubblewrap sets it itself
                if _LIBC.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
                    _refuse("prctl(PR_SET_NO_NEW_PRIVS) failed")
                _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.nproc, limits.nproc))

        return run_in_child


_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_REMOUNT = 1, 2, 4, 8, 32
_MS_BIND, _MS_MOVE, _MS_REC, _MS_PRIVATE = 4096, 8192, 16384, 1 << 18
_MNT_DETACH = 2
_CLONE_NEWNS, _CLONE_NEWNET, _CLONE_NEWIPC, _CLONE_NEWUTS = 0x20000, 0x40000000, 0x08000000, 0x04000000
_CLONE_NEWPID = 0x20000000
_USER_MODE_NAMESPACES = _CLONE_NEWNS | _CLONE_NEWNET | _CLONE_NEWIPC | _CLONE_NEWUTS | _CLONE_NEWPID
_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS = 1, 38
_SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}.get(os.uname().machine)
_LIBC = ctypes.CDLL(None, use_errno=True)
SANDBOX_REFUSED = 125
"""Exit status of a child that refused to run the runner without the isolation it needs."""
_DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty")


def _refuse(why: str) -> None:
    """In the forked child: say why on stderr and exit before the runner starts."""
    os.write(2, f"mlsys-sandbox: {why}\n".encode())
    os._exit(SANDBOX_REFUSED)


def _unshare(flags: int) -> bool:
    return _LIBC.unshare(flags) == 0


def _become_pid_one() -> None:
    """After ``unshare(CLONE_NEWPID)`` only a child enters the new PID namespace: fork it. This
    process waits for it, holding nothing open, and exits as it did (128 + signal, as bubblewrap
    reports it); the child goes on to run the runner as PID 1 (killing it ends the namespace)."""
    pid = os.fork()
    if pid == 0:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        return
    os.closerange(0, 1 << 16)  # the error pipe of subprocess among them: the parent must not wait on us
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(SANDBOX_REFUSED)
    os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


def _mount(source, target, fstype, flags: int, data=None) -> int:
    enc = lambda x: x if x is None or isinstance(x, bytes) else str(x).encode()  # noqa: E731
    return _LIBC.mount(enc(source), enc(target), enc(fstype), flags, enc(data))


def _bind_into(stage: str, source: Path, dest: Path, writable: bool = False) -> None:
    """Bind ``source`` at ``stage/dest`` (read-only unless ``writable``); a missing source is skipped."""
    if not os.path.lexists(source):
        return
    target = os.path.join(stage, str(dest).lstrip("/"))
    if os.path.isdir(source):
        os.makedirs(target, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        if not os.path.exists(target):
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
    if _mount(source, target, None, _MS_BIND | _MS_REC) != 0:
        _refuse(f"bind-mounting {source} failed (errno {ctypes.get_errno()})")
    if not writable:  # keep the flags the kernel locks (nosuid, nodev, noexec), add read-only and nosuid
        kept = os.statvfs(source).f_flag & (_MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
        _mount(None, target, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY | _MS_NOSUID | kept)


def _enter_user_root(stage: str, binds, hide, tmp_mb: int, home: str, uid: int) -> None:
    """In the forked child, still root, PID 1 of new namespaces: build a root like bubblewrap's
    in ``stage`` (an empty host folder of this run), switch to it, mount a fresh /proc."""
    os.umask(0o022)
    if _mount("none", "/", None, _MS_REC | _MS_PRIVATE) != 0:
        _refuse("making mounts private failed")
    if _mount("tmpfs", stage, "tmpfs", _MS_NOSUID | _MS_NODEV, f"mode=755,size={tmp_mb}m") != 0:
        _refuse("the sandbox root (tmpfs) failed")
    tmp = os.path.join(stage, "tmp")
    os.makedirs(tmp)
    if _mount("tmpfs", tmp, "tmpfs", _MS_NOSUID | _MS_NODEV, f"mode=1777,size={tmp_mb}m") != 0:
        _refuse("the private /tmp failed")
    for name in ("bin", "lib", "lib64", "sbin", "lib32", "libx32"):
        host = Path("/") / name
        if host.is_symlink():
            os.symlink(os.readlink(host), os.path.join(stage, name))
        elif host.is_dir():
            _bind_into(stage, host, host)
    _bind_into(stage, Path("/usr"), Path("/usr"))
    for path in ETC_FILES:
        _bind_into(stage, Path(path), Path(path))
    for source, dest in binds:
        _bind_into(stage, source, dest)
    dev = os.path.join(stage, "dev")
    os.makedirs(dev)
    _mount("tmpfs", dev, "tmpfs", _MS_NOSUID | _MS_NOEXEC, f"mode=755,size={tmp_mb}m")
    for node in _DEV_NODES:
        _bind_into(stage, Path("/dev") / node, Path("/dev") / node, writable=True)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1")):
        os.symlink(target, os.path.join(dev, name))
    os.symlink("/proc/self/fd/2", os.path.join(dev, "stderr"))
    os.makedirs(os.path.join(dev, "shm"))
    os.chmod(os.path.join(dev, "shm"), 0o1777)
    os.makedirs(os.path.join(stage, "proc"))
    for path in hide:  # a hidden folder that lies inside a bound one
        target = os.path.join(stage, str(path).lstrip("/"))
        if os.path.isdir(target):
            _mount("tmpfs", target, "tmpfs", 0, "mode=700,size=1m")
    if home:
        target = os.path.join(stage, home.lstrip("/"))
        os.makedirs(target, mode=0o755, exist_ok=True)
        os.chown(target, uid, uid)
    os.chdir(stage)
    if _SYS_PIVOT_ROOT is not None and _LIBC.syscall(_SYS_PIVOT_ROOT, b".", b".") == 0:
        _LIBC.umount2(b".", _MNT_DETACH)
    elif _mount(".", "/", None, _MS_MOVE) == 0:
        os.chroot(".")
    else:
        _refuse(f"switching to the sandbox root failed (errno {ctypes.get_errno()})")
    os.chdir("/")
    _mount("proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)  # this PID namespace's only
    _LIBC.sethostname(b"grader", 6)
    os.chdir(home or "/tmp")


def _private_view(expose: list[Path]) -> None:
    """bubblewrap started as a stranger uid by root: in the forked child, still root, a private
    mount namespace in which each folder of ``expose`` (a Python under /root, say) can be reached
    by that uid (its untraversable ancestor covered by an empty tmpfs, the folder bound back)."""
    if not _unshare(_CLONE_NEWNS):
        _refuse(f"unshare(CLONE_NEWNS) failed (errno {ctypes.get_errno()})")
    if _mount("none", "/", None, _MS_REC | _MS_PRIVATE) != 0:
        _refuse("making mounts private failed")
    fds = {path: os.open(path, os.O_PATH) for path in expose}
    covers = []
    for path in expose:
        top = next((a for a in reversed([path, *path.parents]) if not _others_can_traverse(a)), None)
        if top is not None and top not in covers and top != path:
            covers.append(top)
    for top in covers:
        if _mount("tmpfs", top, "tmpfs", 0, "mode=755,size=1m") != 0:
            _refuse(f"covering {top} failed")
    for path, fd in fds.items():
        os.makedirs(path, exist_ok=True)
        if _mount(f"/proc/self/fd/{fd}", path, None, _MS_BIND | _MS_REC) != 0:
            _refuse(f"bind-mounting {path} failed")
        os.close(fd)


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
        if status < 0 and not attempt.timed_out and not attempt.done:
            try:
                attempt.signal = signal.Signals(-status).name
            except ValueError:
                attempt.signal = str(-status)
        elif status > 128 and sandbox.mode in ("bwrap", "user") and not attempt.done:
            try:  # bwrap, and user mode's PID-namespace parent, report a signal as 128 + its number
                attempt.signal = signal.Signals(status - 128).name
            except ValueError:
                attempt.exit_code = status
        elif status > 0:
            attempt.exit_code = status
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
    if kind == "start":
        attempt.started = True
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


def execute(sandbox: Sandbox, job: m.ExecuteJob, limits: Limits) -> m.Execution:
    """Run ``job`` in ``sandbox``; if one cell hangs or kills the runner, run once more with
    that cell blanked, so that the submission loses only what depends on it."""
    cells = list(job.cells)
    skipped: list[str] = []
    limited = False
    attempt = Attempt()
    seconds = 0.0  # every run's time: a run that burned the timeout counts in the class report
    for run in (1, 2):
        attempt = run_once(sandbox, dataclasses.replace(job, cells=cells), limits)
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
