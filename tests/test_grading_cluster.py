"""Grading past one machine: a Dask cluster and batch-scheduler shards give the local result.

One small class of the fixture assignment is graded three ways: by local workers, on a Dask
``LocalCluster`` with 2 workers of which one is killed while it grades, and as 3 shards joined
by ``merge``. The CSV bytes and every feedback file must be identical.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder.authoring import samples

ROOT = Path(__file__).resolve().parent.parent
NAME = "99_fixture"

pytestmark = pytest.mark.xdist_group("cluster")  # the grading tests below are also marked slow


def _grade(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def klass(fixture_course, tmp_path_factory):
    """Ten submissions (some slow enough that a worker can be killed while grading them),
    graded once locally as the reference."""
    base = tmp_path_factory.mktemp("cluster")
    solution = nbformat.read(fixture_course.dist / NAME / f"{NAME}.ipynb", as_version=4)
    student = nbformat.read(fixture_course.notebooks / f"{NAME}.ipynb", as_version=4)
    folder = base / "submissions"
    folder.mkdir()
    kinds = ["correct", "wrong", "blank", "half", "correct", "wrong", "half", "correct", "wrong", "blank"]
    for i, kind in enumerate(kinds):
        nb = samples.mix(student, solution, seed=i, kind=kind)
        nb.cells.append(nbformat.v4.new_code_cell(f"import time\ntime.sleep(2)  # submission {i}"))
        nbformat.write(nb, folder / f"s{i:02d}_{kind}.ipynb")
    (folder / "broken.ipynb").write_text('{"cells": [')
    zip_path = str(fixture_course.dist / f"{NAME}.zip")
    _grade("grade", "--assignment", NAME, "--submissions", str(folder), "--out", str(base / "local"),
           "--autograder", zip_path, "--workers", "2")  # fmt: skip
    return base, folder, zip_path


def _same_outputs(a: Path, b: Path) -> None:
    assert (a / "grades.csv").read_bytes() == (b / "grades.csv").read_bytes()
    feedback_a = sorted(p.relative_to(a) for p in (a / "feedback").rglob("*.md"))
    feedback_b = sorted(p.relative_to(b) for p in (b / "feedback").rglob("*.md"))
    assert feedback_a == feedback_b and feedback_a
    for rel in feedback_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


@pytest.mark.slow
def test_a_dask_cluster_with_a_worker_lost_mid_batch_gives_the_local_result(klass):
    from distributed import Client, LocalCluster

    base, folder, zip_path = klass
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            worker_pids = client.run(os.getpid)
            killed = []

            def kill_one_while_busy() -> None:
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    busy = [address for address, tasks in client.processing().items() if tasks]
                    if busy:
                        time.sleep(1.0)  # well inside a task (each sleeps 2 s)
                        psutil.Process(worker_pids[busy[0]]).kill()
                        killed.append(busy[0])
                        return
                    time.sleep(0.1)

            killer = threading.Thread(target=kill_one_while_busy)
            killer.start()
            proc = _grade("grade", "--assignment", NAME, "--submissions", str(folder), "--out", str(base / "dask"),
                          "--autograder", zip_path, "--dask", cluster.scheduler_address)  # fmt: skip
            killer.join()
    assert killed, "no worker was busy: the test did not kill one"
    assert "could not be graded" in proc.stdout
    _same_outputs(base / "local", base / "dask")


@pytest.mark.slow
def test_three_shards_merged_give_the_local_result(klass):
    base, folder, zip_path = klass
    shards = []
    for index in (1, 2, 3):
        out = base / f"shard-{index}"
        proc = _grade("grade", "--assignment", NAME, "--submissions", str(folder), "--out", str(out),
                      "--autograder", zip_path, "--shard", f"{index}/3")  # fmt: skip
        assert f"shard {index}/3" in proc.stdout
        assert not (out / "grades.csv").exists(), "a shard writes results, not a partial CSV"
        shards.append(str(out))
    counts = [len(list((Path(s) / ".cache").glob("*.json"))) for s in shards]
    assert sum(counts) == 10 and all(counts), counts  # every notebook graded by exactly one shard
    _grade("merge", "--assignment", NAME, "--submissions", str(folder), "--out", str(base / "merged"),
           "--autograder", zip_path, *shards)  # fmt: skip
    _same_outputs(base / "local", base / "merged")


@pytest.mark.slow
def test_merge_refuses_when_a_shard_is_missing(klass, tmp_path):
    base, folder, zip_path = klass
    out = tmp_path / "only-one"
    _grade("grade", "--assignment", NAME, "--submissions", str(folder), "--out", str(out),
           "--autograder", zip_path, "--shard", "1/3")  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "merge", "--assignment", NAME, "--submissions", str(folder),
         "--out", str(tmp_path / "merged"), "--autograder", zip_path, str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 1 and "have no result" in proc.stderr and "rerun that shard" in proc.stderr
    assert not (tmp_path / "merged" / "grades.csv").exists()


# --------------------------------------------------------------------------------------------
# issue 23: shards graded under their own limits merge like one run graded under them


@pytest.fixture(scope="module")
def limited_class(fixture_course, tmp_path_factory):
    """Three submissions, one of which a limit shapes (it hits the memory cap), graded once with
    ``--timeout 30`` as the reference."""
    base = tmp_path_factory.mktemp("limited")
    solution = nbformat.read(fixture_course.dist / NAME / f"{NAME}.ipynb", as_version=4)
    student = nbformat.read(fixture_course.notebooks / f"{NAME}.ipynb", as_version=4)
    folder = base / "submissions"
    folder.mkdir()
    for i, kind in enumerate(["correct", "blank", "correct"]):
        nb = samples.mix(student, solution, seed=i, kind=kind)
        if i == 2:
            nb.cells.append(nbformat.v4.new_code_cell("hog = bytearray(8 * 1024**3)"))
        nbformat.write(nb, folder / f"s{i}_{kind}.ipynb")
    zip_path = str(fixture_course.dist / f"{NAME}.zip")
    _grade("grade", "--assignment", NAME, "--submissions", str(folder), "--out", str(base / "one"),
           "--autograder", zip_path, "--timeout", "30")  # fmt: skip
    assert "hit the memory cap" in (base / "one" / "grades.csv").read_text()  # a limit shaped this row
    return base, folder, zip_path


@pytest.mark.slow
def test_shards_graded_with_their_own_timeout_merge_into_the_bytes_of_one_run(limited_class):
    base, folder, zip_path = limited_class
    shards = []
    for index in (1, 2):
        out = base / f"shard-{index}"
        _grade("grade", "--assignment", NAME, "--submissions", str(folder), "--out", str(out),
               "--autograder", zip_path, "--shard", f"{index}/2", "--timeout", "30")  # fmt: skip
        shards.append(str(out))
    _grade("merge", "--assignment", NAME, "--submissions", str(folder), "--out", str(base / "merged"),
           "--autograder", zip_path, *shards)  # fmt: skip
    _same_outputs(base / "one", base / "merged")
    # told other limits than the shards', the results a limit shaped cannot be placed: named
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "merge", "--assignment", NAME, "--submissions", str(folder),
         "--out", str(base / "other"), "--autograder", zip_path, "--timeout", "60", *shards],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 1 and "1 submission(s) have no result" in proc.stderr
    assert "--timeout 60 --memory-mb 2048" in proc.stderr and "s2_correct.ipynb" in proc.stderr


def test_shards_graded_under_different_limits_are_refused_naming_them(tmp_path):
    from autograder.grading import messages as m
    from autograder.grading.cli import GradeError, shard_limits

    paths = []
    for i, timeout in enumerate([30.0, 30.0, 120.0]):
        path = tmp_path / f"{i}.json"
        path.write_text(m.GradeResult(True, limits={"timeout": timeout, "memory_mb": 2048}).to_json())
        paths.append(path)
    assert shard_limits(paths[:2], None, None) == (30.0, 2048)
    assert shard_limits(paths, 45, None) == (45.0, 2048)
    with pytest.raises(GradeError, match=r"--timeout 30 --memory-mb 2048 \(2 results\); --timeout 120"):
        shard_limits(paths, None, None)


def test_dask_releases_each_future_once_its_row_is_handled_and_counts_retries(monkeypatch, tmp_path):
    """Issue 23: after a row is handed over, the scheduler no longer holds that job (a worker lost
    later cannot make it run again); a job that ran twice is counted in the summary's stats."""
    from distributed import Client, LocalCluster

    from autograder.grading import messages as m
    from autograder.grading import pool

    log = tmp_path / "runs.txt"  # the task is shipped by value: its runs are counted in a file

    def fake_task(job_json: str, mode: str, unsafe: bool = False) -> str:
        job = m.GradeJob.from_json(job_json)
        with open(log, "a") as f:
            f.write(job.id + "\n")
        time.sleep(0.05)
        if job.id == "j2" and log.read_text().split().count("j2") == 1:
            raise OSError("the worker's disk vanished")  # Dask retries it
        return m.GradeResult(ok=True, seconds=0.05).to_json()

    monkeypatch.setattr(pool, "_dask_task", fake_task)
    jobs = [
        m.GradeJob(id=f"j{i}", cells=[], names=[], assignment="a", zip="a.zip", timeout=30.0, memory_mb=2048)
        for i in range(6)
    ]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with Client(cluster) as observer:

            def on_scheduler() -> set:
                return set(observer.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.tasks)))

            handled, held_after = [], []

            def on_result(job, result) -> None:
                assert result.ok
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline and on_scheduler() & {f"grade-{k}" for k in handled}:
                    time.sleep(0.05)
                held_after.append(on_scheduler() & {f"grade-{k}" for k in handled})
                handled.append(job.id)

            stats = pool.run_dask(jobs, cluster.scheduler_address, on_result, mode="none")
    assert sorted(handled) == [j.id for j in jobs] and not any(held_after)
    runs = log.read_text().split()
    calls = {k: runs.count(k) for k in set(runs)}
    assert calls["j2"] == 2 and stats["retried"] == 1
    assert all(n == 1 for k, n in calls.items() if k != "j2")
