"""How a sandboxed process is started: the modes, the limits, the bubblewrap command and the
pre-exec hook of the ``user`` and ``none`` modes (see :mod:`autograder.grading.sandbox` for what
each mode gives, and :mod:`autograder.grading.namespaces` for the namespaces made by hand).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import namespaces as ns
from .namespaces import ETC_FILES

RUNNER_DIR = Path(__file__).resolve().parent
"""Holds runner.py and answers.py, the only grader code the sandbox can see (no secrets)."""

SANDBOX_UID_BASE = 1_900_000_000
"""Unprivileged uids used for sandboxes when the grader runs as root: base + 8 x the grading
process's id + slot, so no two live sandboxes on a host share one."""

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

    def command(self, argv: list[str], env: dict, tmp_mb: int = 256, nested_userns: bool = False) -> list[str]:
        """``nested_userns``: the warm executor's zygote, whose children make user namespaces of
        their own (each then forbids any further one, as --disable-userns does here)."""
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
            *([] if nested_userns else ["--disable-userns"]),
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
                if ns.unshare(ns.USER_MODE_NAMESPACES):
                    ns.become_pid_one()
                    ns.enter_user_root(stage, binds, hide, limits.tmp_mb, home, uid)
                elif not unsafe:
                    ns.refuse("no namespaces for the user sandbox (unshare: permission denied)")
            elif uid is not None and expose:
                ns.private_view(expose)
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb << 20, limits.file_mb << 20))
            cap = limits.memory_mb << 20
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            if mode != "bwrap":  # bubblewrap sets it itself
                if ns.LIBC.prctl(ns.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
                    ns.refuse("prctl(PR_SET_NO_NEW_PRIVS) failed")
                ns.LIBC.prctl(ns.PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.nproc, limits.nproc))

        return run_in_child
