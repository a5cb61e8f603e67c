"""The warm executor's zygote, inside bubblewrap: imports the course once, forks one child per run.

Started by :mod:`autograder.grading.warm` as ``python -E -s zygote.py PATHS`` in the worker's
bubblewrap sandbox (the same binds, uid, limits and environment as the runner, except that user
namespaces stay allowed, for its children). It never runs student code. It imports what every
submission needs (numpy, pint, matplotlib with the Agg backend and its font list, IPython, the
course package, :mod:`runner`), reports ``{"t": "ready", "ns": {...}}`` on its control socket
(fd 3), then serves requests, one JSON datagram each::

    {"t": "run", "id": 7, "tmp_mb": 256, "home": "/tmp/home", "limits": {...}}
        with two descriptors: the job's read end (the child's stdin) and the message pipe
        (the child's fd 3)  -> {"t": "started", "id": 7}, later {"t": "exit", "id": 7, "status": N}
    {"t": "kill", "id": 7}    SIGKILL to the run's PID 1: its whole PID namespace ends

Each run is a forked child that, before any student code, enters namespaces of its own
(:func:`namespaces.enter_fresh_namespaces`: user, mount, PID, network, IPC, UTS; a fresh ``/tmp``,
home, ``/dev/shm`` and ``/proc``; no capabilities; ``no_new_privs``; no further user namespace),
takes the run's limits, reseeds numpy's global generator (Python's ``random`` reseeds itself
after a fork), reports what it got (``{"t": "fresh", ...}``) and runs :func:`runner.main`. So a
submission starts from the zygote's untouched state, never from what another left behind: its
files were on a tmpfs that died with it, its modules, environment, ``rcParams`` and seeds lived in
its own copy of memory, and its processes in a PID namespace that ended with it.

Standard library and the course stack only: the sandbox sees this folder, not the grader's package.
"""

from __future__ import annotations

import json
import os
import resource
import select
import shutil
import signal
import socket
import sys
import time

import namespaces  # beside this file (stdlib only)

CONTROL_FD = 3
HOME = "/tmp/home"


def preload(paths: list[str]) -> float:
    """Import once what every run needs; seconds taken."""
    start = time.monotonic()
    sys.path.extend(p for p in paths if p not in sys.path)
    _copy_font_list()
    import pkgutil

    import matplotlib

    matplotlib.use("Agg")
    import answers  # noqa: F401
    import matplotlib.font_manager  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import pint  # noqa: F401
    import runner  # noqa: F401
    from IPython.core.interactiveshell import InteractiveShell  # noqa: F401
    from traitlets.config import Config  # noqa: F401

    import mlsys_lab

    for info in pkgutil.walk_packages(mlsys_lab.__path__, "mlsys_lab."):
        if ".public_tests" not in info.name:
            __import__(info.name)
    return time.monotonic() - start


def _copy_font_list() -> None:
    """matplotlib's font list, built once by the grader (as :func:`runner._warm_matplotlib_cache`)."""
    source, target = os.environ.get("MLSYS_MPL_CACHE"), os.environ.get("MPLCONFIGDIR")
    if source and target:
        try:
            shutil.copytree(source, target, dirs_exist_ok=True)
        except OSError:
            pass


def send(ctl: socket.socket, message: dict) -> None:
    ctl.send(json.dumps(message).encode())


def serve(ctl: socket.socket) -> None:
    """Answer requests until the grader closes the control socket; then end every run."""
    runs: dict = {}  # run id -> {"pid": waiter, "pidfd": fd, "init": pid-1 or None, "report": fd}
    while True:
        waiting = {run["pidfd"]: rid for rid, run in runs.items()}
        reports = {run["report"]: rid for rid, run in runs.items() if run["report"] is not None}
        ready = select.select([ctl, *waiting, *reports], [], [])[0]
        for fd in ready:
            if fd in reports:
                _read_init(runs[reports[fd]])
        for fd in ready:
            if fd in waiting:
                rid = waiting[fd]
                send(ctl, {"t": "exit", "id": rid, "status": _reap(runs.pop(rid))})
        if ctl not in ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(ctl, 1 << 16, 4)
        except OSError:
            data, fds = b"", []
        if not data:
            for run in runs.values():
                _kill(run)
            return
        request = json.loads(data)
        if request.get("t") == "run" and len(fds) == 2:
            rid = request["id"]
            runs[rid] = _fork_run(ctl, request, fds[0], fds[1])
            send(ctl, {"t": "started", "id": rid})
        else:
            for fd in fds:
                os.close(fd)
            if request.get("t") == "kill" and request.get("id") in runs:
                _kill(runs[request["id"]])


def _read_init(run: dict) -> None:
    try:
        text = os.read(run["report"], 64)
    except OSError:
        text = b""
    os.close(run["report"])
    run["report"] = None
    if text.strip().isdigit():
        run["init"] = int(text)


def _kill(run: dict) -> None:
    """SIGKILL the run's PID 1 (its PID namespace ends with it; the waiter then exits), or the
    waiter if the PID 1 is not known yet (the PID 1 then dies of its parent-death signal)."""
    if run["report"] is not None and select.select([run["report"]], [], [], 0)[0]:
        _read_init(run)
    for pid in (run["init"], run["pid"]) if run["init"] else (run["pid"],):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _reap(run: dict) -> int:
    """The waiter's exit status: 128 + signal if its PID 1 was killed, as bubblewrap reports it."""
    _, status = os.waitpid(run["pid"], 0)
    os.close(run["pidfd"])
    if run["report"] is not None:
        os.close(run["report"])
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _fork_run(ctl: socket.socket, request: dict, job_fd: int, message_fd: int) -> dict:
    report_r, report_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = namespaces.SANDBOX_REFUSED
        try:
            ctl.close()
            os.close(report_r)
            code = _child(request, job_fd, message_fd, report_w)
        except BaseException as exc:  # noqa: BLE001 -- said on the message pipe, then exit
            try:
                os.write(2, f"mlsys-sandbox: the warm child failed ({type(exc).__name__}: {exc})\n".encode())
            except OSError:
                pass
        finally:
            os._exit(code)
    for fd in (job_fd, message_fd, report_w):
        os.close(fd)
    return {"pid": pid, "pidfd": os.pidfd_open(pid), "init": None, "report": report_r}


def _child(request: dict, job_fd: int, message_fd: int, report_fd: int) -> int:
    """In the forked child: descriptors, fresh namespaces, limits, then the runner."""
    os.setsid()
    namespaces.LIBC.prctl(namespaces.PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(job_fd, 0)
    os.dup2(null, 1)
    os.dup2(message_fd, 2)  # refusals before the runner starts reach the grader
    os.dup2(message_fd, 3)
    os.dup2(report_fd, 4)
    os.closerange(5, 1 << 16)
    home = str(request.get("home") or HOME)
    namespaces.enter_fresh_namespaces(int(request["tmp_mb"]), home, report_fd=4)
    _set_limits(request["limits"])
    os.chdir(home)
    os.environ["HOME"] = home
    import numpy

    numpy.random.seed()  # the zygote's state is every child's: draw a fresh one, as a new process would
    import runner

    runner.send(
        {
            "t": "fresh",
            "ns": namespaces.own_namespaces(),
            "caps": namespaces.effective_capabilities(),
            "no_new_privs": namespaces.LIBC.prctl(39, 0, 0, 0, 0) == 1,
            "pid": os.getpid(),
        }
    )
    probe = request.get("probe")
    if probe is not None:  # the isolation probe, started exactly where a runner would start
        sys.argv = ["probe", json.dumps(probe["ask"])]
        exec(compile(probe["code"], "<probe>", "exec"), {"__name__": "__main__"})
        return 0
    return runner.main()


def _set_limits(limits: dict) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for name, key, shift in (
        ("RLIMIT_FSIZE", "file_mb", 20),
        ("RLIMIT_AS", "memory_mb", 20),
        ("RLIMIT_NPROC", "nproc", 0),
    ):
        value = int(limits[key]) << shift
        resource.setrlimit(getattr(resource, name), (value, value))


def main() -> int:
    ctl = socket.socket(fileno=CONTROL_FD)
    namespaces.LIBC.prctl(namespaces.PR_SET_DUMPABLE, 0, 0, 0, 0)  # no child may read or trace it
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    try:
        seconds = preload(json.loads(sys.argv[1]))
    except Exception as exc:  # noqa: BLE001 -- the grader falls back to cold starts and says why
        send(ctl, {"t": "failed", "why": f"{type(exc).__name__}: {exc}"[:300]})
        return 1
    send(ctl, {"t": "ready", "ns": namespaces.own_namespaces(), "seconds": seconds})
    serve(ctl)
    return 0


if __name__ == "__main__":
    sys.exit(main())
