"""The warm executor: one zygote per worker pays the imports; each run is a fresh child of it.

A cold start (:func:`autograder.grading.sandbox.run_once`) starts bubblewrap and a new Python
that imports numpy, pint, matplotlib, IPython and the course before the first cell: most of a
submission's time. Here each pool worker starts, once, the zygote (:mod:`zygote`, in the same
bubblewrap sandbox as the runner: same binds, uid, limits and environment), and each run is a
child it forks, which enters namespaces of its own before any student code runs (see
:mod:`zygote` for what each run gets and why it sees nothing another run left behind).

Every promise of the cold start holds per run: the wall-clock limit (the grader asks the zygote to
kill the run's PID 1, which ends its PID namespace, or kills the zygote itself), the memory, file
and process limits (set in the child), the bounded, parsed messages and the crash site (the
same :class:`~autograder.grading.sandbox.Attempt`). The child reports what it got before any
student code (``fresh``: its namespaces, capabilities, ``no_new_privs``); a run whose namespaces
are not all new, or a child that could not get them, is run again with a cold start, and the row
says so. No silent fallback: a zygote that cannot start at all is said in every row it costs.

Used by the local pool (:mod:`autograder.grading.pool`) in the ``bwrap`` mode. Not used on
Gradescope (one submission per container: a zygote would be paid for one run), in the ``user``
and ``none`` modes (their cold start is kept), nor on Dask (a worker runs tasks in threads).
"""

from __future__ import annotations

import dataclasses
import json
import os
import select
import socket
import subprocess
import threading
import time

from . import messages as m
from . import sandbox as cold
from .confinement import Limits, Sandbox, course_import_path
from .namespaces import SANDBOX_REFUSED
from .processes import kill_tree
from .sandbox import Attempt

ZYGOTE_LIMITS = Limits(timeout=120, memory_mb=1 << 16, file_mb=1 << 12)
"""The zygote's own hard limits: a child can lower them to its run's, never raise them."""
READY_SECONDS = 120.0
EXIT_SECONDS = 10.0
"""How long the zygote may take to report a run's end once its messages stopped."""
HOME = "/tmp/home"


class WarmUnavailable(RuntimeError):
    """The zygote could not start or stopped answering; the message says why."""


class WarmExecutor:
    """One worker's zygote and the runs it forks (one at a time)."""

    def __init__(self, sandbox: Sandbox):
        if sandbox.mode != "bwrap":
            raise ValueError("the warm executor runs in bubblewrap only")
        self.sandbox = sandbox
        self.proc: subprocess.Popen | None = None
        self.ctl: socket.socket | None = None
        self.zygote_ns: dict = {}
        self.preload_seconds = 0.0
        self.start_seconds = 0.0
        self.runs = 0
        self.cold_starts = 0
        self.broken = ""  # why the zygote cannot be started here (then every run starts cold)
        self.isolation = None  # what the probe measured in the zygote's first child
        self.ready = False
        self.launched = 0.0

    # ---------------------------------------------------------------------------------------
    # the zygote

    def launch(self) -> None:
        """Start the zygote without waiting for it (it imports while the worker does too)."""
        if self.proc is not None:
            return
        self.launched = time.monotonic()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = self.sandbox.environment(HOME)
        argv = [*self.sandbox.runner_argv()[:-1], "/opt/mlsys-grader/zygote.py", json.dumps(course_import_path())]
        try:
            self.proc = subprocess.Popen(
                self.sandbox.command(argv, env, ZYGOTE_LIMITS.tmp_mb, nested_userns=True),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=tuple(sorted({theirs.fileno(), 3})),
                preexec_fn=cold._with_fd3(self.sandbox.preexec(ZYGOTE_LIMITS, HOME), theirs.fileno()),
                env={"PATH": "/usr/bin:/bin"},
                cwd="/",
            )
        finally:
            theirs.close()
        self.ctl = ours

    def start(self) -> None:
        """Start the zygote (unless launched) and wait until it has imported the course stack."""
        self.launch()
        message = self._receive(READY_SECONDS)
        if message is None or message.get("t") != "ready":
            why = (message or {}).get("why") or self._stderr() or "no answer"
            self.stop()
            raise WarmUnavailable(f"the warm zygote did not start ({why})")
        self.zygote_ns = message.get("ns") or {}
        self.preload_seconds = float(message.get("seconds") or 0.0)
        from .isolation import probe

        self.isolation = probe(self.sandbox, starter=self.probe)  # measured in a child, as a run would be
        if not self.isolation.isolated:
            self.stop()
            raise WarmUnavailable(f"the warm child is not isolated ({', '.join(self.isolation.missing)})")
        self.start_seconds = time.monotonic() - self.launched
        self.ready = True

    def stop(self) -> None:
        """End the zygote and everything it started (closing its socket is enough; then force)."""
        self.ready = False
        if self.ctl is not None:
            self.ctl.close()
            self.ctl = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            kill_tree(self.proc)
            self.proc.wait()
            if self.proc.stderr is not None:
                self.proc.stderr.close()
            self.proc = None
            cold._drain_uid(self.sandbox.uid)

    def _stderr(self) -> str:
        if self.proc is None or self.proc.stderr is None:
            return ""
        if self.proc.poll() is None:
            kill_tree(self.proc)
            self.proc.wait()
        text = self.proc.stderr.read(cold.STDERR_CAP).decode("utf-8", "replace").strip()
        return " ".join(text.splitlines()[-1:])[:300]

    def _receive(self, seconds: float) -> dict | None:
        if self.ctl is None or not select.select([self.ctl], [], [], seconds)[0]:
            return None
        try:
            data = self.ctl.recv(1 << 16)
        except OSError:
            return None
        try:
            return json.loads(data) if data else None
        except ValueError:
            return None

    def _request(self, message: dict, fds: list[int] = ()) -> None:
        socket.send_fds(self.ctl, [json.dumps(message).encode()], list(fds))

    # ---------------------------------------------------------------------------------------
    # a run

    def run_once(self, job: m.ExecuteJob, limits: Limits) -> Attempt:
        """One run of ``job`` in a fresh child; a cold start (said in its notes) when the child
        could not get its namespaces or the zygote cannot run."""
        why = self.broken
        if not why and not self.ready:
            try:
                self.start()
            except (WarmUnavailable, OSError) as exc:
                why = self.broken = str(exc)
        if not why:
            stdin = json.dumps(dataclasses.asdict(job)).encode()
            attempt, why = self._run(stdin, limits)
            if not why:
                return attempt
        self.stop()  # a cold start drains the sandbox uid: the zygote goes too, and restarts next time
        self.cold_starts += 1
        attempt = cold.run_once(self.sandbox, job, limits)
        attempt.notes.append(f"warm executor: {why}; this submission ran in a cold start instead")
        return attempt

    def probe(self, probe_code: str, ask: dict, limits: Limits) -> tuple[dict | None, str]:
        """Run the isolation probe in a fresh child, where a runner would run; its report or why not."""
        report: dict = {}
        extra = {"probe": {"code": probe_code, "ask": ask}}
        attempt, why = self._run(b"", limits, extra=extra, report=report)
        if why or "ns" not in report:
            return None, why or attempt.refused or "no report"
        return report, ""

    def _run(self, stdin: bytes, limits: Limits, extra: dict | None = None, report: dict | None = None):
        """Fork one child; collect its messages; returns (attempt, why it must start cold instead)."""
        self.runs += 1
        rid = self.runs
        attempt, start = Attempt(), time.monotonic()
        job_r, job_w = os.pipe()
        msg_r, msg_w = os.pipe()
        request = {
            "t": "run",
            "id": rid,
            "home": HOME,
            "tmp_mb": limits.tmp_mb,
            "limits": {"memory_mb": limits.memory_mb, "file_mb": limits.file_mb, "nproc": limits.nproc},
            **(extra or {}),
        }
        try:
            self._request(request, [job_r, msg_w])
        except OSError as exc:
            for fd in (job_r, job_w, msg_r, msg_w):
                os.close(fd)
            return attempt, f"the zygote took no run ({exc.strerror or exc})"
        os.close(job_r)
        os.close(msg_w)
        writer = threading.Thread(target=_write_all, args=(job_w, stdin), daemon=True)
        writer.start()
        try:
            if report is not None:
                _collect_report(msg_r, report, attempt, start + limits.timeout)
            else:
                cold._collect(None, msg_r, attempt, start + limits.timeout)
        finally:
            os.close(msg_r)
        if attempt.timed_out or attempt.flooded or attempt.refused or not attempt.done:
            if attempt.timed_out or attempt.flooded or attempt.refused:
                self._request_quietly({"t": "kill", "id": rid})
        status = self._wait_exit(rid, EXIT_SECONDS if attempt.done or attempt.refused else 2 * EXIT_SECONDS)
        writer.join(timeout=1)
        attempt.seconds = time.monotonic() - start
        if status is None:
            self.stop()
            return attempt, "the zygote stopped answering"
        if attempt.refused or status == SANDBOX_REFUSED and not attempt.started and report is None:
            return attempt, f"the child could not get its namespaces ({attempt.refused or 'refused'})"
        gap = self.not_fresh(attempt.fresh)
        if gap and (attempt.started or report is not None):
            return attempt, f"the child's namespaces were not fresh ({gap})"
        cold.read_status(attempt, status, namespaced=True)
        return attempt, ""

    def not_fresh(self, fresh: dict | None) -> str:
        """What the child's report lacks (empty: every namespace new, no capability, no_new_privs)."""
        if type(fresh) is not dict or type(fresh.get("ns")) is not dict:
            return "no report"
        same = [n for n, v in self.zygote_ns.items() if v is None or fresh["ns"].get(n) in (None, v)]
        gaps = [f"{'+'.join(same)} shared with the zygote"] if same else []
        if fresh.get("caps") != 0:
            gaps.append("capabilities kept")
        if fresh.get("no_new_privs") is not True:
            gaps.append("no no_new_privs")
        return ", ".join(gaps)

    def _request_quietly(self, message: dict) -> None:
        try:
            self._request(message)
        except OSError:
            pass

    def _wait_exit(self, rid: int, seconds: float) -> int | None:
        """The run's exit status once the zygote has reaped it (its PID namespace is then empty)."""
        deadline = time.monotonic() + seconds
        killed = False
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                if killed:
                    return None
                self._request_quietly({"t": "kill", "id": rid})  # it hangs on after its messages ended
                killed, deadline = True, time.monotonic() + EXIT_SECONDS
                continue
            message = self._receive(left)
            if message is None and (self.proc is None or self.proc.poll() is not None):
                return None
            if message and message.get("t") == "exit" and message.get("id") == rid:
                return int(message.get("status", 0))


def _write_all(fd: int, data: bytes) -> None:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError:
        pass
    finally:
        os.close(fd)


def _collect_report(fd: int, report: dict, attempt: Attempt, deadline: float) -> None:
    """The probe's messages: the child's ``fresh`` line, then the probe's one JSON line."""
    buffer = b""
    while time.monotonic() < deadline and len(buffer) < 1 << 16:
        if not select.select([fd], [], [], max(0.0, min(1.0, deadline - time.monotonic())))[0]:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        buffer += chunk
    for line in buffer.split(b"\n"):
        cold._take(line, attempt)
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if type(message) is dict and message.get("t") == "probe":
            report.update(message)
    attempt.done = bool(report)
