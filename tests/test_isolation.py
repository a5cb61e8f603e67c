"""Issue 20 item 2: the isolation probe tells an isolated sandbox from an open one.

The probe is started exactly as the runner is (``autograder/grading/isolation.py``); these tests
hold it to the truth in each mode on this machine: bubblewrap and the user sandbox are isolated
(own mount, PID and network namespaces, ``no_new_privs``, no 127.0.0.1, no abstract socket, no
host file), the unsandboxed mode is not and the probe says exactly why, and the user sandbox
without CAP_SYS_ADMIN (util-linux ``setpriv``) refuses to start at all unless the instructor
opted in. The attack suite (``tests/test_attacks.py``) runs real hostile notebooks through both
entry points in the same modes; this file checks the instrument itself, in seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.grading import isolation
from autograder.grading.sandbox import Attempt, Limits, Sandbox, SandboxUnavailable, _failure

ROOT = Path(__file__).resolve().parent.parent
NO_CAP_SYS_ADMIN = ["setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin", "--"]


def need_root() -> None:
    if os.geteuid() != 0:
        pytest.fail("the user sandbox drops to a stranger uid: run the security tests as root (CI does)")


def probe_in(mode: str, unsafe: bool = False, wrap: tuple = ()) -> dict:
    """The probe's record for ``mode``, measured in a fresh process (``wrap``: a command prefix)."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from autograder.grading import isolation, sandbox\n"
        f"found = isolation.probe(sandbox.Sandbox({mode!r}, slot=5, unsafe={unsafe!r}))\n"
        "print(json.dumps(found.to_dict()))\n"
    )
    proc = subprocess.run([*wrap, sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", ["bwrap", "user"])
def test_a_sandbox_mode_is_measured_isolated(mode):
    assert shutil.which("bwrap"), "bubblewrap is missing: `make sandbox`"
    need_root()
    found = probe_in(mode)
    assert found["started"] and found["isolated"], found
    assert all(found["namespaces"][n] for n in ("mnt", "pid", "net", "ipc", "uts")), found
    assert found["namespaces"]["user"] is (mode == "bwrap"), found
    assert found["no_new_privs"] is True and found["uid"] != 0, found
    assert not found["tcp_reachable"] and not found["abstract_reachable"] and not found["host_file_visible"]
    assert found["processes_visible"] <= 3, found  # its own PID namespace: no host command line
    assert found["short"].startswith(f"isolated ({mode}: checked "), found


def test_the_probe_sees_an_open_sandbox_for_what_it_is():
    """Without a sandbox the same probe reaches the listener, the abstract socket and the host
    file: an instrument that always said "isolated" would fail here."""
    found = probe_in("none", unsafe=True)
    assert found["started"] and not found["isolated"], found
    assert found["tcp_reachable"] and found["abstract_reachable"] and found["host_file_visible"], found
    assert not any(found["namespaces"][n] for n in ("mnt", "pid", "net")), found
    assert found["short"].startswith("NOT ISOLATED (--unsafe-no-isolation; none mode: "), found
    assert "network reachable" in found["short"] and "host files readable" in found["short"]


def test_the_user_sandbox_without_cap_sys_admin_does_not_start():
    """A default container: no namespaces. The pre-exec hook itself refuses to start the child."""
    assert shutil.which("setpriv"), "util-linux setpriv is missing"
    need_root()
    found = probe_in("user", wrap=tuple(NO_CAP_SYS_ADMIN))
    assert not found["started"] and not found["isolated"], found
    assert "no namespaces" in found["error"], found
    message = isolation.refusal(isolation.Isolation(**{k: found[k] for k in ("mode", "started", "error")}))
    assert message.startswith("no student code was run") and "--unsafe-no-isolation" in message
    assert "bubblewrap" in message and "CAP_SYS_ADMIN" in message


def test_with_the_opt_in_it_runs_and_the_probe_says_so():
    need_root()
    found = probe_in("user", unsafe=True, wrap=tuple(NO_CAP_SYS_ADMIN))
    # a Python under /root is unreachable to the stranger uid until isolation_for opens the way
    if found["started"]:
        assert not found["isolated"] and found["host_file_visible"] and found["tcp_reachable"], found
    else:
        assert "Permission denied" in found["error"] or "no report" in found["error"], found


def test_isolation_for_refuses_without_the_opt_in_and_restores_permissions():
    need_root()
    code = (
        f"import json, os, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from autograder.grading import isolation, sandbox\n"
        "modes = lambda: {str(p): os.stat(p).st_mode for p in __import__('pathlib').Path(sys.base_prefix).parents}\n"
        "before = modes()\n"
        "try:\n"
        "    with isolation.isolation_for(sandbox.Sandbox('user', slot=6)):\n"
        "        print('ran')\n"
        "except sandbox.SandboxUnavailable as exc:\n"
        "    print('refused', str(exc)[:60])\n"
        "with isolation.isolation_for(sandbox.Sandbox('user', slot=6, unsafe=True)) as found:\n"
        "    print('unsafe', found.isolated, found.started)\n"
        "print('restored', modes() == before)\n"
    )
    proc = subprocess.run([*NO_CAP_SYS_ADMIN, sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("refused no student code was run"), lines
    assert lines[1] == "unsafe False True" and lines[2] == "restored True", lines


def test_sandbox_none_needs_the_opt_in():
    with pytest.raises(SandboxUnavailable, match="--unsafe-no-isolation"):
        isolation.choose_mode("none", unsafe=False)
    assert isolation.choose_mode("none", unsafe=True) == "none"


@pytest.mark.parametrize(
    "attempt, where",
    [
        (Attempt(), "the notebook's process stopped before any cell ran"),
        (Attempt(started=True), "the notebook's process exited while running the start-up, before the first cell"),
        (Attempt(started=True, cell=7), "the notebook's process exited while running cell 7"),
        (
            Attempt(started=True, encoding=True),
            "the notebook's process exited while running the encoding of its answers, after the last cell",
        ),
        (
            Attempt(started=True, encoding=True, signal="SIGKILL"),
            "the notebook's process was killed by SIGKILL while running the encoding of its answers, after the last cell",
        ),
    ],
)
def test_a_crash_is_reported_where_it_happened(attempt, where):
    """Issue 20 item 5: a crash after the last cell is not "before any cell ran"."""
    assert _failure(attempt, Limits(), Sandbox("none")) == where
