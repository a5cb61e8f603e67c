"""Issue 10, item 4: hostile submissions earn nothing beyond their honest answers, leave no trace.

Each hostile notebook starts from the released notebook, answers some questions honestly, and
tries to earn the rest by cheating (replacing the checks, patching otter, forging results files,
reading the hidden tests, answers that lie) or to escape (read a canary, write outside the run,
reach a listener on 127.0.0.1, read the grader's environment, fork-bomb, fill the disk, kill
other processes). An escape that works turns into points (see ``tests/attacks/cells.py``), so
every case has one exact expected score: that of its honest answers.

Everything is graded through the real entry points, in three batches (kernels are the slow part):

* ``local``: every fixture case in one ``python -m autograder grade`` run, then a rerun from the
  cache (a forged cache must not survive it);
* ``gradescope``: a subset through the zip's own ``run_autograder`` in a temporary root laid
  out as Gradescope's ``/autograder``;
* ``chapter``: a few cases on chapter 01, graded locally.

Isolation is measured, not assumed (issue 20 item 2), so the isolation cases (host files left
world-readable, 127.0.0.1 and abstract sockets, a setuid binary, other processes' command lines)
run through both paths in three modes: bubblewrap, the unprivileged-user sandbox with namespaces
(``MLSYS_SANDBOX=user``), and that sandbox without them (CAP_SYS_ADMIN dropped with util-linux
``setpriv``, as in a default container). Without namespaces grading must refuse (no student
code runs); with ``--unsafe-no-isolation`` it runs and every row says so. Every mode leaves the
permissions of the folders above Python as they were.

The destructive cases (fork bomb, disk fill, killing the parent, signalling host processes) run
only once the sandbox exists (``autograder/grading/sandbox.py`` and ``--no-sandbox`` in the
help); until then their tests fail and say why.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
from attacks import build, gradescope
from attacks import host as hostlib

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = "99_fixture"
CHAPTER = "01_ml_lifecycle"
LOCAL_TIMEOUT = 30  # the fixture runs in ~5 s; sleep_forever costs one worker this long
CHAPTER_TIMEOUT = 120
DISK_MARGIN = 1 * 2**30  # other jobs share the disk; the fill writes 2.25 GiB

pytestmark = pytest.mark.slow

LOCAL_CASES = [
    "callables.ipynb", "control_blank.ipynb", "control_honest.ipynb", "control_quantity.ipynb",
    "control_solution.ipynb", "env_secret.ipynb", "fake_checks_module.ipynb", "forge_answer_files.ipynb",
    "forge_pickle.ipynb", "hunt_hidden_tests.ipynb", "liars_always_equal.ipynb", "liars_extremes.ipynb",
    "liars_extremes_2.ipynb", "liars_near_types.ipynb", "liars_quantity.ipynb", "liars_subclasses.ipynb",
    "lingering_forger.ipynb", "mimic_quantity_dict.ipynb", "network.ipynb", "otter_grading_results.ipynb", "otter_test_case_result.ipynb",
    "otter_test_file.ipynb", "patch_checks.ipynb", "poison_cache.ipynb", "read_canary.ipynb",
    "redefine_json_print.ipynb", "redefine_type_isinstance.ipynb", "shadow_package.ipynb", "sleep_forever.ipynb",
    "symlink_to_canary.ipynb", "symlink_to_solution.ipynb", "write_outside.ipynb", "zip_path_traversal.zip",
    "zip_symlink_member.zip", "read_host_solution.ipynb", "abstract_socket.ipynb", "setuid_binary.ipynb",
    "read_cmdlines.ipynb", "crash_while_encoding.ipynb",
]  # fmt: skip
USER_LOCAL_CASES = ["control_honest.ipynb", "crash_while_encoding.ipynb", *build.ISOLATION_CASES]
NO_NAMESPACE_CASES = ["control_honest.ipynb", "write_outside.ipynb", "read_host_solution.ipynb"]
NO_CAP_SYS_ADMIN = ["setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin", "--"]
"""A command prefix that runs the grader as root without CAP_SYS_ADMIN: no namespaces for the user sandbox."""
DESTRUCTIVE_CASES = ["fill_disk.ipynb", "fork_bomb.ipynb", "kill_parent.ipynb", "signal_others.ipynb"]
LYING = [c for c in LOCAL_CASES if c.startswith(("liars_", "callables", "redefine_type"))]


# -------------------------------------------------------------------------------------------
# running the grader


def grade_command(name: str, submissions: Path, out: Path, zip_path: Path, timeout: int, extra=()) -> list[str]:
    return [
        sys.executable, "-m", "autograder", "grade", "--assignment", name, "--submissions", str(submissions),
        "--out", str(out), "--autograder", str(zip_path), "--workers", "2", "--timeout", str(timeout), *extra,
    ]  # fmt: skip


def setpriv() -> list[str]:
    """The prefix that drops CAP_SYS_ADMIN; a missing setpriv fails the test (never skips it)."""
    assert shutil.which("setpriv"), "util-linux setpriv is missing: apt-get install util-linux"
    return list(NO_CAP_SYS_ADMIN)


def read_csv(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return {row["file"]: row for row in csv.DictReader(f)}


def grade_locally(
    base: Path, assignment: build.Assignment, zip_path: Path, solution: Path, timeout: int, cases_of,
    env_extra: dict | None = None, wrap: tuple = (), extra_args: tuple = (),
) -> SimpleNamespace:  # fmt: skip
    """Write the cases, grade them in one run (with a listener, a victim and a secret in the
    environment), rerun from the cache, and record every trace on the host. ``env_extra``,
    ``wrap`` (a command prefix) and ``extra_args`` choose the mode."""
    submissions, out, tmp = base / "submissions", base / "out", base / "tmp"
    submissions.mkdir(parents=True)
    tmp.mkdir()
    ready, why = hostlib.sandbox_ready()
    listener = hostlib.Listener()
    host = hostlib.new_host(base / "host", submissions, out, solution=solution)
    host.port, host.udp_port, host.abstract = listener.port, listener.udp_port, listener.abstract_name
    victim = hostlib.start_victim(host.token)
    host.victim = victim.pid
    cases = cases_of(assignment, host, solution, ready)
    for case in cases:
        case.write(submissions)
    env = dict(os.environ, TMPDIR=str(tmp), MLSYS_ATTACK_SECRET=host.secret, **(env_extra or {}))
    command = [*wrap, *grade_command(assignment.name, submissions, out, zip_path, timeout, extra_args)]
    processes_before, free_before = hostlib.process_count(), hostlib.free_bytes()
    permissions_before = hostlib.permissions()
    started = time.monotonic()
    try:
        first = subprocess.run(
            command, cwd=hostlib.grader_root(), env=env, capture_output=True, text=True, timeout=1200,
        )  # fmt: skip
        seconds = time.monotonic() - started
        csv_bytes = (out / "grades.csv").read_bytes() if (out / "grades.csv").exists() else b""
        results = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else None
        time.sleep(1.5)  # a lingering forger would rewrite the CSV by now
        csv_later = (out / "grades.csv").read_bytes() if (out / "grades.csv").exists() else b""
        rerun = subprocess.run(
            command, cwd=hostlib.grader_root(), env=env, capture_output=True, text=True, timeout=1200,
        )  # fmt: skip
        rerun_bytes = (out / "grades.csv").read_bytes() if (out / "grades.csv").exists() else b""
        hostlib.wait_until(lambda: not hostlib.survivors(host.token), 5)
        return SimpleNamespace(
            ready=ready, why=why, host=host, cases={c.file: c for c in cases}, first=first, rerun=rerun,
            seconds=seconds, csv_bytes=csv_bytes, csv_later=csv_later, rerun_bytes=rerun_bytes,
            rows=read_csv(out / "grades.csv") if csv_bytes else {}, out=out, tmp=tmp,
            received=listener.close(), traces=hostlib.traces(host), survivors=hostlib.survivors(host.token),
            victim_alive=victim.poll() is None,
            processes_before=processes_before, processes_after=hostlib.process_count(),
            free_before=free_before, free_after=hostlib.free_bytes(),
            permissions_before=permissions_before, permissions_after=hostlib.permissions(),
            results=results,
        )  # fmt: skip
    finally:
        if not listener._stop.is_set():
            listener.close()
        hostlib.kill_survivors(host.token)
        hostlib.remove_traces(host)
        hostlib.remove_open_files(host)
        victim.kill()
        victim.wait()


def fixture_assignment_of(course) -> build.Assignment:
    return build.Assignment.load(course.dist, course.notebooks, FIXTURE, honest=("q2_answer", "q4_answer"))


@pytest.fixture(scope="module")
def local(fixture_course, tmp_path_factory):
    assignment = fixture_assignment_of(fixture_course)
    solution = fixture_course.dist / FIXTURE / f"{FIXTURE}.ipynb"
    return grade_locally(
        tmp_path_factory.mktemp("attacks-local"), assignment, fixture_course.dist / f"{FIXTURE}.zip", solution,
        LOCAL_TIMEOUT, lambda a, h, s, ready: build.fixture_cases(a, h, s, include_destructive=ready),
    )  # fmt: skip


def only(names: list[str]):
    """The fixture cases named in ``names`` (a mode's subset)."""
    return lambda a, h, s, ready: [
        c for c in build.fixture_cases(a, h, s, include_destructive=False) if c.file in names
    ]


@pytest.fixture(scope="module")
def local_user(fixture_course, tmp_path_factory):
    """The isolation cases through `grade` in the unprivileged-user sandbox with namespaces."""
    assignment = fixture_assignment_of(fixture_course)
    solution = fixture_course.dist / FIXTURE / f"{FIXTURE}.ipynb"
    return grade_locally(
        tmp_path_factory.mktemp("attacks-local-user"), assignment, fixture_course.dist / f"{FIXTURE}.zip", solution,
        LOCAL_TIMEOUT, only(USER_LOCAL_CASES), env_extra={"MLSYS_SANDBOX": "user"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def local_no_namespaces(fixture_course, tmp_path_factory):
    """`grade` as root without CAP_SYS_ADMIN (no namespaces), refused then run with the opt-in."""
    assignment = fixture_assignment_of(fixture_course)
    solution = fixture_course.dist / FIXTURE / f"{FIXTURE}.ipynb"
    zip_path = fixture_course.dist / f"{FIXTURE}.zip"
    runs = {}
    for label, extra in (("refused", ()), ("unsafe", ("--unsafe-no-isolation",))):
        runs[label] = grade_locally(
            tmp_path_factory.mktemp(f"attacks-local-nons-{label}"), assignment, zip_path, solution, LOCAL_TIMEOUT,
            only(NO_NAMESPACE_CASES), env_extra={"MLSYS_SANDBOX": "user"}, wrap=tuple(setpriv()), extra_args=extra,
        )  # fmt: skip
    return runs


@pytest.fixture(scope="module")
def chapter(built_course, tmp_path_factory):
    assignment = build.Assignment.load(
        built_course.dist, built_course.notebooks, CHAPTER, honest=("q4_answer", "q6_answer")
    )
    solution = built_course.dist / CHAPTER / f"{CHAPTER}.ipynb"
    # on the master's numbers, said outright (--master-numbers): the solution notebook, with no
    # personal code, computes its answers from them, and no attack here is about whose numbers
    return grade_locally(
        tmp_path_factory.mktemp("attacks-chapter"), assignment, built_course.dist / f"{CHAPTER}.zip", solution,
        CHAPTER_TIMEOUT, lambda a, h, s, ready: build.chapter_cases(a, h), extra_args=("--master-numbers",),
    )  # fmt: skip


GRADESCOPE_MODES = {
    "default": ({}, False),  # bubblewrap
    "user": ({"MLSYS_SANDBOX": "user"}, False),  # the unprivileged-user sandbox, with namespaces
    "no-ns": ({"MLSYS_SANDBOX": "user"}, True),  # ... without CAP_SYS_ADMIN: refused
    "no-ns-unsafe": ({"MLSYS_SANDBOX": "user", "MLSYS_UNSAFE_NO_ISOLATION": "1"}, True),  # opted in
}


@pytest.fixture(scope="module")
def on_gradescope(fixture_course, tmp_path_factory):
    """The Gradescope subset, two runs at a time, each in its own temporary /autograder."""
    base = tmp_path_factory.mktemp("attacks-gradescope")
    assignment = fixture_assignment_of(fixture_course)
    solution = fixture_course.dist / FIXTURE / f"{FIXTURE}.ipynb"
    zip_path = fixture_course.dist / f"{FIXTURE}.zip"
    listener = hostlib.Listener()
    hosts = {mode: hostlib.new_host(base / f"host-{mode}", solution=solution) for mode in GRADESCOPE_MODES}
    victims = {mode: hostlib.start_victim(host.token) for mode, host in hosts.items()}
    for mode, host in hosts.items():
        host.port, host.udp_port, host.abstract = listener.port, listener.udp_port, listener.abstract_name
        host.victim = victims[mode].pid
    env = dict(os.environ, MLSYS_ATTACK_SECRET=hosts["default"].secret)
    env.pop("MLSYS_SANDBOX", None)
    permissions_before = hostlib.permissions()

    # user mode runs the notebook as a stranger uid: its roots sit in a world-traversable folder,
    # as /autograder does, so that only the grader's own isolation keeps the tests and results
    # away from it. Without namespaces such a uid can also read every world-readable file (this
    # repository's masters, say), which a Gradescope container does not hold: there, the hunt
    # counts only what it finds under ROOT.
    open_base = Path(tempfile.mkdtemp(prefix="mlsys-attack-gs-"))
    open_base.chmod(0o755)

    def one(job: tuple[str, str]):
        file, mode = job
        root = (base if mode == "default" else open_base) / f"{Path(file).stem}-{mode}"
        host = hosts[mode]
        this = dataclasses.replace(
            host, results=root / "results", markers=host.markers + [root.parent / f"sibling-{host.token}"],
            hunt_within=str(root) if mode != "default" else "",
        )  # fmt: skip
        case = build.gradescope_case(assignment, this, file, solution)

        def place(submission: Path) -> None:
            dataclasses.replace(case, file=f"{FIXTURE}.ipynb").write(submission)

        extra_env, no_cap = GRADESCOPE_MODES[mode]
        run = gradescope.grade_one(
            root, zip_path, place, env=dict(env, **extra_env), wrap=tuple(setpriv()) if no_cap else ()
        )
        time.sleep(1.5)  # a lingering forger would have rewritten results.json by now
        later = (
            (root / "results" / "results.json").read_text(errors="replace")
            if (root / "results" / "results.json").exists()
            else ""
        )
        return (file, mode), SimpleNamespace(case=case, run=run, later=later)

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = dict(pool.map(one, GRADESCOPE_JOBS))
        for host in hosts.values():
            hostlib.wait_until(lambda token=host.token: not hostlib.survivors(token), 5)
        received = listener.close()
        return SimpleNamespace(
            runs=runs, hosts=hosts, received=received,
            traces={mode: hostlib.traces(h) for mode, h in hosts.items()},
            survivors={mode: hostlib.survivors(h.token) for mode, h in hosts.items()},
            victims_alive={mode: v.poll() is None for mode, v in victims.items()},
            permissions_before=permissions_before, permissions_after=hostlib.permissions(),
        )  # fmt: skip
    finally:
        if not listener._stop.is_set():
            listener.close()
        for mode, host in hosts.items():
            hostlib.kill_survivors(host.token)
            hostlib.remove_traces(host)
            hostlib.remove_open_files(host)
            victims[mode].kill()
            victims[mode].wait()
        shutil.rmtree(open_base, ignore_errors=True)


def check_row(batch, file: str) -> None:
    """The row exists, has a clear status, and scores exactly the honest answers, per question."""
    case = batch.cases[file]
    assert batch.rows, f"no grades.csv: {batch.first.stderr[-3000:]}"
    row = batch.rows.get(file)
    assert row is not None, f"{file}: no row ({case.what})"
    status = row["grading_status"]
    assert status.startswith(("Completed", "Failed")), row
    if case.expected_status:
        assert status.startswith(case.expected_status), row
    got = {q: float(row[q]) for q in case.expected}
    assert got == case.expected, (
        f"{file} ({case.family}: {case.what}) earned {got}, may earn {case.expected}; status {status!r}"
    )
    assert float(row["total_points_earned"]) == case.total, row


# -------------------------------------------------------------------------------------------
# local: python -m autograder grade


@pytest.mark.xdist_group("attacks-local")
def test_local_batch_ran_every_case(local):
    assert local.first.returncode == 0, local.first.stderr[-3000:]
    expected = LOCAL_CASES + (DESTRUCTIVE_CASES if local.ready else [])
    assert sorted(local.cases) == sorted(expected)
    assert sorted(f for f in local.rows if f != "points-per-question") == sorted(expected), (
        "one row per case, no planted extra"
    )


@pytest.mark.xdist_group("attacks-local")
def test_local_batch_ran_in_the_warm_executor(local):
    """Issue 24: every case above ran as a fresh child of its worker's zygote (the pool's warm
    executor), not in a cold start it fell back to (a row would say so)."""
    cold = {f: r["grading_status"] for f, r in local.rows.items() if "cold start" in r.get("grading_status", "")}
    assert cold == {}


@pytest.mark.xdist_group("attacks-local")
@pytest.mark.parametrize("file", LOCAL_CASES)
def test_local_case_earns_only_its_honest_answers(local, file):
    check_row(local, file)


@pytest.mark.xdist_group("attacks-local")
def test_local_escapes_leave_no_trace(local):
    assert local.traces == [], "files left outside the run"
    assert local.received == [], "the listener on 127.0.0.1 was reached"
    assert local.survivors == [], "processes outlived the run"
    assert local.victim_alive, "a host process was killed"
    assert not list(local.tmp.glob("*")), f"work dirs left in TMPDIR: {sorted(local.tmp.glob('*'))[:5]}"


@pytest.mark.xdist_group("attacks-local")
def test_local_outputs_carry_no_secret(local):
    """What an escape read (canary, environment secret) never reaches the CSV or the feedback."""
    secrets = [local.host.token, local.host.secret, "instructor secret"]
    for path in [local.out / "grades.csv", *sorted((local.out / "feedback").rglob("*.md"))]:
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, f"{path.name} shows {secret!r}"


@pytest.mark.xdist_group("attacks-local")
def test_local_results_cannot_be_rewritten_after_the_run(local):
    assert local.csv_bytes and local.csv_later == local.csv_bytes, "grades.csv changed after the grader returned"


@pytest.mark.xdist_group("attacks-local")
def test_local_forged_cache_does_not_survive_a_rerun(local):
    assert local.rerun.returncode == 0, local.rerun.stderr[-3000:]
    assert "0 graded now" in local.rerun.stdout, local.rerun.stdout
    assert local.rerun_bytes == local.csv_bytes, "the rerun from the cache gave other grades"


@pytest.mark.xdist_group("attacks-local")
@pytest.mark.parametrize("file", LYING)
def test_lying_answers_are_reported_as_not_plain(local, file):
    """Issue 10: a non-plain answer is recorded as "not a plain answer" for that question."""
    feedback = (local.out / "feedback" / f"{file}.md").read_text(encoding="utf-8")
    status = local.rows[file]["grading_status"]
    assert "not a plain answer" in feedback or "not a plain answer" in status, feedback


@pytest.mark.xdist_group("attacks-local")
@pytest.mark.parametrize("file", DESTRUCTIVE_CASES)
def test_destructive_case_earns_only_its_honest_answers(local, file):
    if not local.ready:
        pytest.fail(f"destructive case not run: {local.why} (it runs only inside the sandbox)")
    check_row(local, file)


@pytest.mark.xdist_group("attacks-local")
def test_fork_bomb_and_disk_fill_leave_the_host_as_it_was(local):
    if not local.ready:
        pytest.fail(f"destructive cases not run: {local.why}")
    assert local.processes_after <= local.processes_before + 50, (local.processes_before, local.processes_after)
    assert local.free_after >= local.free_before - DISK_MARGIN, (local.free_before, local.free_after)
    assert local.survivors == [] and local.victim_alive


# -------------------------------------------------------------------------------------------
# Gradescope: the zip's own run_autograder in a temporary /autograder


USER_MODE_CASES = [
    "control_honest.ipynb", "forge_results_json.ipynb", "hunt_hidden_tests.ipynb", "write_outside.ipynb",
    "crash_while_encoding.ipynb", *[c for c in build.ISOLATION_CASES if c != "write_outside.ipynb"],
]  # fmt: skip
NO_NS_GRADESCOPE_CASES = ["control_honest.ipynb", "write_outside.ipynb", "read_host_solution.ipynb"]
ISOLATED_MODES = ["default", "user"]
GRADESCOPE_JOBS = (
    [(f, "default") for f in build.GRADESCOPE_CASES]
    + [(f, "user") for f in USER_MODE_CASES]
    + [(f, mode) for mode in ("no-ns", "no-ns-unsafe") for f in NO_NS_GRADESCOPE_CASES]
)


@pytest.mark.xdist_group("attacks-gradescope")
@pytest.mark.parametrize("file, mode", [job for job in GRADESCOPE_JOBS if job[1] in ISOLATED_MODES])
def test_gradescope_case_earns_only_its_honest_answers(on_gradescope, file, mode):
    done = on_gradescope.runs[file, mode]
    run, case = done.run, done.case
    assert run.results is not None, f"no results.json: {run.describe()}"
    assert run.score == case.total, f"{file} ({case.what}) scored {run.score}, may earn {case.total}: {run.describe()}"
    for test in run.results.get("tests", []):
        if "max_score" in test:
            assert float(test.get("score", 0)) <= float(test["max_score"]), test
    assert done.later == run.results_text, "results.json changed after run_autograder returned"
    if case.expected_status:
        assert run.results["output"].startswith(case.expected_status), run.results["output"]
    isolation = (run.results.get("extra_data") or {}).get("isolation")
    if isolation is None:  # only a file refused at intake runs nothing, so measures nothing
        assert case.symlink_to is not None and run.results["output"].startswith("Failed"), run.describe()
    else:
        assert isolation["isolated"] is True and "; isolated (" in run.results["output"], run.describe()


@pytest.mark.xdist_group("attacks-gradescope")
@pytest.mark.parametrize("mode", ISOLATED_MODES)
def test_gradescope_escapes_leave_no_trace(on_gradescope, mode):
    assert on_gradescope.traces[mode] == [], "files left outside the run"
    assert on_gradescope.survivors[mode] == [], "processes outlived the run"
    assert on_gradescope.victims_alive[mode], "a host process was killed"
    assert on_gradescope.received == [], "the listener on 127.0.0.1 or the abstract socket was reached"
    host = on_gradescope.hosts[mode]
    for (file, run_mode), done in on_gradescope.runs.items():
        for secret in (host.token, host.secret, "instructor secret"):
            assert run_mode != mode or secret not in done.run.results_text, f"{file}: results.json shows {secret!r}"


@pytest.mark.xdist_group("attacks-gradescope")
@pytest.mark.parametrize("file", NO_NS_GRADESCOPE_CASES)
def test_gradescope_without_namespaces_runs_no_student_code(on_gradescope, file):
    """No CAP_SYS_ADMIN, no opt-in: a Failed result that names the fix, and nothing ran."""
    run = on_gradescope.runs[file, "no-ns"].run
    assert run.results is not None, run.describe()
    assert run.score == 0 and run.results["output"].startswith("Failed: no student code was run"), run.describe()
    assert "--unsafe-no-isolation" in run.results["output"] and "bubblewrap" in run.results["output"]
    assert on_gradescope.traces["no-ns"] == [], "student code ran: it left files"


@pytest.mark.xdist_group("attacks-gradescope")
@pytest.mark.parametrize("file", NO_NS_GRADESCOPE_CASES)
def test_gradescope_unsafe_opt_in_runs_and_says_so(on_gradescope, file):
    """With the instructor's opt-in the notebook runs, unprotected, and the student's output and
    results.json say what the probe found (host files and network reachable)."""
    run = on_gradescope.runs[file, "no-ns-unsafe"].run
    assert run.results is not None, run.describe()
    assert "NOT ISOLATED" in run.results["output"], run.describe()
    isolation = run.results["extra_data"]["isolation"]
    assert isolation["isolated"] is False and isolation["unsafe"] is True, isolation
    assert isolation["host_file_visible"] and isolation["tcp_reachable"] and isolation["abstract_reachable"]
    assert not any(isolation["namespaces"][n] for n in ("mnt", "pid", "net")), isolation
    if file == "control_honest.ipynb":
        assert run.score == on_gradescope.runs[file, "no-ns"].case.total, run.describe()


@pytest.mark.xdist_group("attacks-gradescope")
def test_gradescope_leaves_permissions_as_they_were(on_gradescope):
    """Issue 20 item 5: user mode changes no permission outside the run (or restores it)."""
    assert on_gradescope.permissions_after == on_gradescope.permissions_before


# -------------------------------------------------------------------------------------------
# local: the same isolation cases in the user sandbox, and without namespaces


@pytest.mark.xdist_group("attacks-gradescope")  # one worker: these open /root for a moment
@pytest.mark.parametrize("file", USER_LOCAL_CASES)
def test_local_user_mode_case_earns_only_its_honest_answers(local_user, file):
    check_row(local_user, file)
    assert "; isolated (user: " in local_user.rows[file]["grading_status"], local_user.rows[file]


@pytest.mark.xdist_group("attacks-gradescope")  # one worker: these open /root for a moment
def test_local_user_mode_is_measured_and_leaves_no_trace(local_user):
    assert local_user.first.returncode == 0, local_user.first.stderr[-3000:]
    isolation = local_user.results["isolation"]
    assert isolation["mode"] == "user" and isolation["isolated"], isolation
    assert isolation["no_new_privs"] and all(isolation["namespaces"][n] for n in ("mnt", "pid", "net")), isolation
    assert "sandbox: user: isolated (user: " in local_user.first.stdout, local_user.first.stdout
    assert local_user.traces == [] and local_user.received == [] and local_user.survivors == []
    assert local_user.victim_alive
    assert local_user.permissions_after == local_user.permissions_before


@pytest.mark.xdist_group("attacks-gradescope")  # one worker: these open /root for a moment
def test_local_without_namespaces_refuses_and_runs_no_student_code(local_no_namespaces):
    run = local_no_namespaces["refused"]
    assert run.first.returncode == 1, (run.first.stdout[-2000:], run.first.stderr[-2000:])
    assert "no student code was run" in run.first.stderr and "--unsafe-no-isolation" in run.first.stderr
    assert "bubblewrap" in run.first.stderr, run.first.stderr  # the message names the fix
    assert not run.rows and not (run.out / "grades.csv").exists()
    assert run.traces == [] and run.received == [], "student code ran"
    assert run.permissions_after == run.permissions_before


@pytest.mark.xdist_group("attacks-gradescope")  # one worker: these open /root for a moment
def test_local_without_namespaces_unsafe_runs_and_every_row_says_so(local_no_namespaces):
    run = local_no_namespaces["unsafe"]
    assert run.first.returncode == 0, run.first.stderr[-3000:]
    assert sorted(f for f in run.rows if f != "points-per-question") == sorted(NO_NAMESPACE_CASES)
    for file, row in run.rows.items():
        if file != "points-per-question":
            assert "NOT ISOLATED (--unsafe-no-isolation; user mode:" in row["grading_status"], row
            feedback = (run.out / "feedback" / f"{file}.md").read_text(encoding="utf-8")
            assert "NOT ISOLATED" in feedback, feedback
    assert run.first.stdout.startswith("WARNING: NOT ISOLATED"), run.first.stdout
    isolation = run.results["isolation"]
    assert isolation["isolated"] is False and isolation["unsafe"] is True, isolation
    assert isolation["host_file_visible"] and isolation["tcp_reachable"] and isolation["abstract_reachable"]
    check_row(run, "control_honest.ipynb")
    assert run.permissions_after == run.permissions_before, "permissions opened for the stranger uid stayed open"


# -------------------------------------------------------------------------------------------
# a real chapter


CHAPTER_CASES = [
    "control_honest.ipynb",
    "control_solution.ipynb",
    "forge_pickle.ipynb",
    "hunt_hidden_tests.ipynb",
    "patch_checks.ipynb",
]


@pytest.mark.xdist_group("attacks-chapter")
@pytest.mark.parametrize("file", CHAPTER_CASES)
def test_chapter_case_earns_only_its_honest_answers(chapter, file):
    assert sorted(chapter.cases) == CHAPTER_CASES
    check_row(chapter, file)


@pytest.mark.xdist_group("attacks-chapter")
def test_chapter_attacks_leave_no_trace(chapter):
    assert chapter.traces == [] and chapter.received == [] and chapter.survivors == []
