"""Isolation that is measured, not assumed: a probe child reports what the sandbox really gives.

Before any student code runs, :func:`measure` starts a probe exactly as the runner would be
started (the same :class:`~autograder.grading.sandbox.Sandbox`: same mode, same pre-exec hook,
same uid, same environment). The probe compares nothing itself; it reports, over the same
message pipe (fd 3) the runner uses, what it sees from inside:

* its namespaces (``/proc/self/ns/{user,mnt,pid,net,ipc,uts}``), which the parent compares
  with its own;
* ``no_new_privs`` (``prctl(PR_GET_NO_NEW_PRIVS)``; a setuid binary gains nothing);
* whether the network is reachable: a TCP listener the parent opened on 127.0.0.1 and an
  abstract unix socket (abstract sockets belong to the network namespace);
* whether a world-readable file the parent wrote on the host is visible (a solution notebook
  left on disk would be), and how many processes it can see (other command lines).

The verdict (:attr:`Isolation.isolated`) needs all of it: own mount, PID and network
namespaces, ``no_new_privs``, no network, no host file. Without it no student code runs,
unless the instructor opted in with ``--unsafe-no-isolation`` (Gradescope:
``MLSYS_UNSAFE_NO_ISOLATION=1``); then every status says so (:meth:`Isolation.note`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .confinement import Limits, Sandbox, SandboxUnavailable, check_available
from .namespaces import NAMESPACE_NAMES, own_namespaces
from .sandbox import start_child

NAMESPACES = NAMESPACE_NAMES
REQUIRED_NAMESPACES = ("mnt", "pid", "net")
UNSAFE_ENV = "MLSYS_UNSAFE_NO_ISOLATION"
PROBE_TIMEOUT = 30.0

FIX = (
    "install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`, or `make sandbox`) and allow "
    "unprivileged user namespaces (`sysctl -w kernel.unprivileged_userns_clone=1`, Ubuntu 24.04: "
    "`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`), or run the grader as root with "
    "CAP_SYS_ADMIN (a container started with --cap-add SYS_ADMIN) so that the unprivileged-user "
    "sandbox gets its own namespaces"
)

PROBE = r"""
import ctypes, json, os, socket, sys
ask = json.loads(sys.argv[1])
seen = {"t": "probe", "uid": os.getuid(), "pid": os.getpid(), "ns": {}}
for name in ask["ns"]:
    try:
        seen["ns"][name] = os.readlink("/proc/self/ns/" + name)
    except OSError:
        seen["ns"][name] = None
try:
    seen["no_new_privs"] = ctypes.CDLL(None).prctl(39, 0, 0, 0, 0) == 1
except Exception:
    seen["no_new_privs"] = None
def reach(family, address):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect(address)
        return True
    except OSError:
        return False
    finally:
        s.close()
seen["tcp"] = reach(socket.AF_INET, ("127.0.0.1", ask["port"]))
seen["abstract"] = reach(socket.AF_UNIX, "\0" + ask["abstract"])
try:
    with open(ask["file"]) as f:
        seen["host_file"] = f.read() == ask["token"]
except OSError:
    seen["host_file"] = False
try:
    seen["processes"] = sum(1 for p in os.listdir("/proc") if p.isdigit())
except OSError:
    seen["processes"] = 0
os.write(3, (json.dumps(seen) + "\n").encode())
"""


@dataclass
class Isolation:
    """What one probe found. ``namespaces`` maps a namespace to True when the probe's differs
    from the grader's (None: the probe could not tell)."""

    mode: str
    started: bool = False
    error: str = ""
    namespaces: dict = field(default_factory=dict)
    no_new_privs: bool | None = None
    uid: int | None = None
    tcp_reachable: bool | None = None
    abstract_reachable: bool | None = None
    host_file_visible: bool | None = None
    processes_visible: int = 0
    unsafe: bool = False  # the instructor's explicit opt-in to run without isolation
    seconds: float = 0.0

    @property
    def missing(self) -> list[str]:
        """What isolation lacks, in words (empty: isolated)."""
        if not self.started:
            return [f"the probe did not run ({self.error or 'no report'})"]
        gaps = [f"no own {n} namespace" for n in REQUIRED_NAMESPACES if not self.namespaces.get(n)]
        if not self.no_new_privs:
            gaps.append("no no_new_privs (setuid binaries work)")
        if self.tcp_reachable or self.abstract_reachable:
            gaps.append("network reachable")
        if self.host_file_visible:
            gaps.append("host files readable")
        return gaps

    @property
    def isolated(self) -> bool:
        return not self.missing

    def short(self) -> str:
        """The short form every row's status carries."""
        if self.isolated:
            own = "+".join(n for n in NAMESPACES if self.namespaces.get(n))
            return f"isolated ({self.mode}: checked {own} namespaces, no_new_privs, no network, no host files)"
        flag = "--unsafe-no-isolation" if self.unsafe else "no opt-in"
        return (
            f"NOT ISOLATED ({flag}; {self.mode} mode: {', '.join(self.missing)}): "
            "this grade is not protected against tampering"
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(isolated=self.isolated, missing=self.missing, short=self.short())
        return data


def refusal(found: Isolation) -> str:
    """Why grading stops, and the fix."""
    return (
        f"no student code was run: the {found.mode} sandbox is not isolated here "
        f"({'; '.join(found.missing)}). Fix: {FIX}. To grade anyway on a machine you can throw away, "
        f"pass --unsafe-no-isolation (Gradescope: set {UNSAFE_ENV}=1 in run_autograder); every "
        "status will then say so"
    )


def choose_mode(forced: str | None = None, unsafe: bool = False) -> str:
    """The sandbox to use: ``forced`` (``MLSYS_SANDBOX``) if given, else bubblewrap, else the
    unprivileged-user sandbox (needs root), else, only with ``unsafe``, none at all."""
    if forced:
        if forced == "none" and not unsafe:
            raise SandboxUnavailable("sandbox 'none' runs student code without isolation: pass --unsafe-no-isolation")
        check_available(forced)
        return forced
    try:
        check_available("bwrap")
        return "bwrap"
    except SandboxUnavailable as exc:
        if os.geteuid() == 0:
            return "user"
        if unsafe:
            return "none"
        raise SandboxUnavailable(f"{exc}. No student code was run. Fix: {FIX}") from exc


def probe(sandbox: Sandbox, limits: Limits | None = None, starter=None) -> Isolation:
    """Start the probe in ``sandbox`` exactly as the runner would be started; read its report.
    ``starter(code, ask, limits)``: how runs start when not cold (the warm executor's child)."""
    import time

    limits = limits or Limits(timeout=PROBE_TIMEOUT)
    found = Isolation(mode=sandbox.mode, unsafe=sandbox.unsafe)
    token = secrets.token_hex(12)
    folder = Path(tempfile.mkdtemp(prefix="mlsys-probe-", dir="/tmp"))  # any uid can reach /tmp (not TMPDIR)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    start = time.monotonic()
    try:
        os.chmod(folder, 0o755)  # world-readable, as a solution notebook left on disk would be
        marker = folder / "host-file.txt"
        marker.write_text(token)
        os.chmod(marker, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        abstract.bind(f"\0mlsys-probe-{token}")
        abstract.listen(4)
        ask = {
            "ns": list(NAMESPACES),
            "port": listener.getsockname()[1],
            "abstract": f"mlsys-probe-{token}",
            "file": str(marker),
            "token": token,
        }
        argv = [*sandbox.runner_argv()[:-1], "-c", PROBE, json.dumps(ask)]
        try:
            if starter is not None:
                report, error = starter(PROBE, ask, limits)
            else:
                report, error = start_child(sandbox, argv, limits, b"")
        except OSError as exc:  # the stranger uid cannot even reach Python (no namespaces, Python under /root)
            report, error = None, f"{type(exc).__name__}: {exc.strerror or exc}"
    finally:
        listener.close()
        abstract.close()
        shutil.rmtree(folder, ignore_errors=True)
    found.seconds = time.monotonic() - start
    if report is None:
        found.error = error or "no report"
        return found
    mine = own_namespaces()
    found.started = True
    found.namespaces = {
        n: (None if report["ns"].get(n) is None or mine[n] is None else report["ns"][n] != mine[n]) for n in NAMESPACES
    }
    found.no_new_privs = report.get("no_new_privs")
    found.uid = report.get("uid")
    found.tcp_reachable = bool(report.get("tcp"))
    found.abstract_reachable = bool(report.get("abstract"))
    found.host_file_visible = bool(report.get("host_file"))
    found.processes_visible = int(report.get("processes") or 0)
    return found


def _open_for_strangers(paths) -> list[tuple[Path, int]]:
    """Without a mount namespace a stranger uid can only run a Python it can reach: add o+x to
    each folder above ``paths`` that lacks it. Returns what changed, for :func:`restore_modes`."""
    changed = []
    for path in paths:
        for parent in Path(path).parents:
            if parent == Path("/"):
                break
            mode = os.stat(parent).st_mode
            if not mode & stat.S_IXOTH and not any(parent == p for p, _ in changed):
                changed.append((parent, stat.S_IMODE(mode)))
                os.chmod(parent, stat.S_IMODE(mode) | stat.S_IXOTH)
    return changed


def restore_modes(changed: list[tuple[Path, int]]) -> None:
    for path, mode in reversed(changed):
        try:
            os.chmod(path, mode)
        except OSError:
            pass


@contextmanager
def isolation_for(sandbox: Sandbox):
    """Measure ``sandbox``; refuse (:class:`SandboxUnavailable`) unless it is isolated or the
    instructor opted in. Yields the :class:`Isolation` found; permissions changed to let an
    unisolated stranger uid reach Python are restored on the way out."""
    found = probe(sandbox)
    if not found.isolated and not sandbox.unsafe:
        raise SandboxUnavailable(refusal(found))
    changed = []
    try:
        if sandbox.mode == "user" and not found.started:  # no namespaces, unsafe: open the way
            changed = _open_for_strangers(source for source, _ in sandbox.binds)
            found = probe(sandbox)
        yield found
    finally:
        restore_modes(changed)
