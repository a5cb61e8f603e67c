"""Issue 24: the warm executor keeps every submission apart (autograder/grading/warm.py, zygote.py).

One zygote per worker imports the course once; each run is a child of it in namespaces of its
own. These tests run two submissions in the *same* zygote: the first leaves everything it can
behind (files in /tmp, $HOME, the cwd and /dev/shm, environment variables, patched numpy, math
and mlsys_lab functions, matplotlib rcParams, random seeds, modules, a running thread, processes
that outlive it); the second reports what it sees, and each answer is asserted exactly. Then the
limits (time, memory, a crash) still hold per run and the zygote serves the next run, and a child
that cannot get its namespaces runs cold and says so.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from autograder.grading import messages as m
from autograder.grading import sandbox as sb
from autograder.grading.confinement import Limits, Sandbox, check_available, course_import_path
from autograder.grading.pool import matplotlib_cache
from autograder.grading.warm import WarmExecutor

pytestmark = pytest.mark.slow

LEAVE_EVERYTHING = r"""
import math, os, random, subprocess, sys, threading, time
import numpy as np, matplotlib
import mlsys_lab as ml
from mlsys_lab.science import drift
for folder in ("/tmp", os.environ["HOME"], os.getcwd(), "/dev/shm"):
    with open(os.path.join(folder, "left-behind.txt"), "w") as f:
        f.write("from the previous submission")
os.environ["LEFT_BEHIND"] = "yes"
os.environ["HOME"] = "/nowhere"
np.pi = 3.0
math.pi = 3.0
np.mean = lambda *a, **k: 42.0
drift.psi = lambda *a, **k: 42.0
matplotlib.rcParams["lines.linewidth"] = 99.0
matplotlib.use("pdf", force=True)
random.seed(1234)
np.random.seed(1234)
sys.modules["left_behind"] = type(sys)("left_behind")
sys.path.insert(0, "/tmp")
threading.Thread(target=time.sleep, args=(120,), daemon=False).start()
subprocess.Popen(["sleep", "120"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    time.sleep(120)
    os._exit(0)
dirty = "done"
"""

REPORT_WHAT_IS_SEEN = r"""
import math, os, random, subprocess, sys, threading
import numpy as np, matplotlib
from mlsys_lab.science import drift
files = sorted(
    os.path.join(folder, name)
    for folder in ("/tmp", os.environ["HOME"], os.getcwd(), "/dev/shm")
    for name in os.listdir(folder)
    if "left-behind" in name
)
environment = [key for key in ("LEFT_BEHIND",) if key in os.environ] + [os.environ["HOME"]]
patched = [
    name for name, bad in (
        ("np.pi", np.pi != math.tau / 2 or np.pi == 3.0),
        ("math.pi", math.pi == 3.0),
        ("np.mean", float(np.mean([1.0, 3.0])) != 2.0),
        ("drift.psi", getattr(drift.psi, "__module__", "") != "mlsys_lab.science.drift"),
        ("left_behind module", "left_behind" in sys.modules),
        ("sys.path", "/tmp" in sys.path),
    ) if bad
]
style = [float(matplotlib.rcParams["lines.linewidth"]), matplotlib.get_backend().lower()]
draws = [random.random(), float(np.random.random())]
threads = threading.active_count()
processes = sorted(
    int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()
    and os.path.exists(f"/proc/{p}/cmdline")
)
"""

REPORT_NAMES = ["files", "environment", "patched", "style", "draws", "threads", "processes"]


@pytest.fixture(scope="module")
def executor():
    check_available("bwrap")  # the sandbox exists here: a missing one is a failure, not a skip
    cache = Path(tempfile.mkdtemp(prefix="warm-test-"))
    os.chmod(cache, 0o755)
    warm = WarmExecutor(Sandbox("bwrap", slot=5, mpl_cache=matplotlib_cache(cache / "mpl")))
    warm.start()
    yield warm
    warm.stop()


def _job(*sources: str, names=()) -> m.ExecuteJob:
    cells = [{"number": i, "source": s} for i, s in enumerate(sources, 1)]
    return m.ExecuteJob(cells=cells, names=list(names), path=course_import_path())


def _answers(attempt) -> dict:
    assert attempt.done, (attempt.refused, attempt.notes, attempt.signal, attempt.exit_code, attempt.errors)
    data = json.loads(attempt.answers)["answers"]
    return {name: record.get("value") for name, record in data.items()}


def _reference_draws_after_seed_1234() -> list[float]:
    import random

    import numpy as np

    return [random.Random(1234).random(), float(np.random.RandomState(1234).random_sample())]


def test_the_probe_measured_a_child_of_the_zygote(executor):
    found = executor.isolation
    assert found is not None and found.isolated, found and found.missing
    assert all(found.namespaces[n] for n in ("user", "mnt", "pid", "net", "ipc", "uts"))
    assert found.processes_visible == 2  # the probe and its PID 1, in a PID namespace of their own


def test_the_next_submission_sees_nothing_the_previous_left_behind(executor):
    dirty = executor.run_once(_job(LEAVE_EVERYTHING, names=["dirty"]), Limits(timeout=60))
    assert _answers(dirty) == {"dirty": "done"}, dirty.errors
    assert not dirty.notes  # it ran warm, not in a cold start
    seen = [_answers(executor.run_once(_job(REPORT_WHAT_IS_SEEN, names=REPORT_NAMES), Limits(timeout=60)))]
    seen.append(_answers(executor.run_once(_job(REPORT_WHAT_IS_SEEN, names=REPORT_NAMES), Limits(timeout=60))))
    for clean in seen:
        assert clean["files"] == []
        assert clean["environment"] == ["/tmp/home"]
        assert clean["patched"] == []
        assert clean["style"] == [1.5, "agg"]
        assert clean["threads"] == 1
        assert clean["processes"] == [1]  # its own PID 1: nothing of the previous run, not the zygote
        assert clean["draws"] != _reference_draws_after_seed_1234()
    assert seen[0]["draws"][0] != seen[1]["draws"][0] and seen[0]["draws"][1] != seen[1]["draws"][1]


def test_the_child_holds_no_privilege_it_could_use_against_the_next(executor):
    probe = r"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
nested_userns = libc.unshare(0x10000000)
unmount_tmp = libc.umount2(b"/tmp", 2)
remount_tmp = libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None)
caps = [line.split()[1] for line in open("/proc/self/status") if line.startswith("CapEff")][0]
no_new_privs = libc.prctl(39, 0, 0, 0, 0)
pid = os.getpid()
import socket
server = socket.create_server(("127.0.0.1", 0))
socket.create_connection(server.getsockname()).close()
own_loopback = "up"
"""
    seen = _answers(executor.run_once(_job(probe, names=["nested_userns", "unmount_tmp", "remount_tmp", "caps",
                                                          "no_new_privs", "pid", "own_loopback"]), Limits(timeout=60)))  # fmt: skip
    assert seen == {
        "nested_userns": -1, "unmount_tmp": -1, "remount_tmp": -1, "caps": "0000000000000000",
        "no_new_privs": 1, "pid": 2, "own_loopback": "up",
    }  # fmt: skip


def test_limits_hold_per_run_and_the_zygote_serves_the_next(executor):
    limits = Limits(timeout=5, memory_mb=1024)
    hung = sb.execute(executor.sandbox, _job("x = 1", "while True: pass", "y = 2", names=["x", "y"]), limits,
                      start=executor.run_once)  # fmt: skip
    assert hung.answers is not None and "cell 2 skipped: still running when the 5 s timeout hit" in hung.notes
    assert json.loads(hung.answers)["answers"]["y"]["value"] == 2
    crashed = executor.run_once(_job("x = 1", "import os; os._exit(3)", names=["x"]), limits)
    assert not crashed.done and crashed.cell == 2 and crashed.exit_code == 3
    killed = executor.run_once(_job("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"), limits)
    assert not killed.done and killed.signal == "SIGSEGV"
    bomb = executor.run_once(_job("blob = bytearray(3 << 30)", "x = 1", names=["x"]), limits)
    assert bomb.errors == [[1, "MemoryError"]] and _answers(bomb) == {"x": 1}
    after = executor.run_once(_job("x = 1", names=["x"]), limits)
    assert _answers(after) == {"x": 1} and after.seconds < 5 and not after.notes


def test_a_child_without_namespaces_runs_cold_and_says_so(monkeypatch):
    box = Sandbox("bwrap", slot=4)
    command = box.command
    monkeypatch.setattr(box, "command", lambda argv, env, tmp_mb=256, nested_userns=False: command(argv, env, tmp_mb))
    warm = WarmExecutor(box)  # its zygote runs under --disable-userns: no child gets a user namespace
    try:
        attempt = warm.run_once(_job("x = 1", names=["x"]), Limits(timeout=60))
    finally:
        warm.stop()
    assert _answers(attempt) == {"x": 1}
    assert len(attempt.notes) == 1 and attempt.notes[0].startswith("warm executor: ")
    assert attempt.notes[0].endswith("this submission ran in a cold start instead")
    assert "not isolated" in attempt.notes[0] or "namespaces" in attempt.notes[0]


def test_a_course_kept_under_tmp_stays_visible_and_read_only():
    """A checkout or virtual environment that lives in /tmp (a CI runner's, pytest's) is bound by
    bubblewrap under the sandbox's /tmp; the child's fresh /tmp keeps those binds, read-only, so the
    run stays warm instead of failing to import Python and falling back to a cold start."""
    folder = Path(tempfile.mkdtemp(prefix="kept-course-"))
    os.chmod(folder, 0o755)
    (folder / "kept_under_tmp.py").write_text("VALUE = 'seen'\n")
    os.chmod(folder / "kept_under_tmp.py", 0o644)
    box = Sandbox("bwrap", slot=6)
    box.binds.append((folder, folder))
    warm = WarmExecutor(box)
    probe = f"""
import os, sys
sys.path.insert(0, {str(folder)!r})
import kept_under_tmp
value = kept_under_tmp.VALUE
try:
    open({str(folder / "written.txt")!r}, "w").close()
    writable = True
except OSError:
    writable = False
others = sorted(set(os.listdir("/tmp")) - {{{folder.name!r}, "home"}})
"""
    try:
        attempt = warm.run_once(_job(probe, names=["value", "writable", "others"]), Limits(timeout=60))
    finally:
        warm.stop()
    assert not attempt.notes, attempt.notes  # warm, not a cold start
    assert _answers(attempt) == {"value": "seen", "writable": False, "others": []}
    assert not (folder / "written.txt").exists()
