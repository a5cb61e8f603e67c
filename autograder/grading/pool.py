"""The pool: long-lived worker processes that each grade one submission at a time.

A worker is a clean Python process (``python -I``, no student code on its path). For each
:class:`~autograder.grading.messages.GradeJob` it runs stage 1 in its own sandbox
(:mod:`~autograder.grading.sandbox`), then stage 2 (:mod:`~autograder.grading.score`) on the
answers file alone, and answers with a :class:`~autograder.grading.messages.GradeResult`. The
dispatcher (:func:`run_pool`) feeds the workers, kills and replaces one that crashes or stops
answering (its submission gets a row saying so, not cached, so a rerun retries it), and calls
back as each result arrives. :func:`run_dask` sends the same jobs to a Dask cluster.
"""

from __future__ import annotations

import json
import os
import resource
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import functions, identity
from . import messages as m
from .confinement import Limits, Sandbox
from .processes import kill_tree

ROOT = Path(__file__).resolve().parents[2]
WORKER_SLACK = 60
"""Seconds a worker may exceed its two runs' timeouts before the dispatcher kills it."""
PR_SET_CHILD_SUBREAPER = 36
WARM_ENV = "MLSYS_WARM"
"""``MLSYS_WARM=0``: every run starts cold (today's start-up per submission; for comparisons)."""


def set_subreaper() -> None:
    """Make orphaned descendants our children, so that they can be found and killed."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def matplotlib_cache(directory: Path) -> Path:
    """Build matplotlib's font list once (it takes a second) for every sandbox to copy."""
    directory.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MPLCONFIGDIR=str(directory))
    subprocess.run(
        [sys.executable, "-I", "-c", "import matplotlib.font_manager"], env=env, capture_output=True, timeout=120
    )
    for path in [directory, *directory.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return directory


class _Grader:
    """One worker's sandbox and scorers (one per autograder zip, tests parsed once)."""

    def __init__(
        self,
        mode: str,
        slot: int,
        mpl_cache: Path | None,
        hide: tuple = (),
        runner_dir: Path | None = None,
        unsafe: bool = False,
        warm: bool = False,
    ):
        self.sandbox = Sandbox(mode, slot=slot, mpl_cache=mpl_cache, hide=hide, runner_dir=runner_dir, unsafe=unsafe)
        self.scorers = {}
        self.warm = None
        """The warm executor (bubblewrap only): imports paid once per worker, a fresh child per run."""
        if warm and mode == "bwrap":
            from .warm import WarmExecutor

            self.warm = WarmExecutor(self.sandbox)

    def grade(self, job: m.GradeJob) -> m.GradeResult:
        """Both stages for one job; a bug here never loses the submission's row."""
        try:
            return self._grade(job)
        except Exception as exc:  # noqa: BLE001 -- reported in the row, retried next run
            return m.GradeResult(
                ok=False, reason=f"internal grader error ({type(exc).__name__}: {exc})", transient=True
            )

    def _grade(self, job: m.GradeJob) -> m.GradeResult:
        from .score import Scorer, ScoringFailed, score_limited

        scorer = self.scorers.get(job.zip)
        if scorer is None:
            scorer = self.scorers[job.zip] = Scorer(Path(job.zip))
        limits = Limits(timeout=job.timeout, memory_mb=job.memory_mb)
        variant = {"code": job.code, "assignment": scorer.assignment}
        exercises = functions.declared_once(job.zip)  # function exercises: hidden inputs, fresh seed
        seed = job.function_seed if job.function_seed is not None else functions.new_seed()
        execution = self.sandbox_execute(job, limits, variant, functions.execute_payload(exercises, seed))
        if execution.failure:
            return m.GradeResult(
                ok=False,
                reason=execution.failure,
                notes=execution.notes,
                cell_errors=execution.cell_errors,
                limited=execution.limited,
                seconds=execution.seconds,
                transient=execution.transient,
            )
        try:  # stage 2 under its own time and memory limit; a trip is the submission's row, cached
            tests, answers, notes = score_limited(scorer, execution.answers, student=job.code)
        except ScoringFailed as exc:
            return m.GradeResult(
                ok=False,
                reason=str(exc),
                notes=execution.notes,
                cell_errors=execution.cell_errors,
                limited=True,
                seconds=execution.seconds,
            )
        functions.rescore(tests, exercises, seed, execution.answers)  # per case, against the reference
        if job.missing:  # no code for this student: the master's numbers would be no one's
            identity.zero_varied(tests, scorer.variants.get("questions", []), job.missing)
        return m.GradeResult(
            ok=True,
            tests=tests,
            answers=answers,
            notes=execution.notes + notes,
            cell_errors=execution.cell_errors,
            limited=execution.limited,
            seconds=execution.seconds,
            function_seed=seed if exercises else None,
        )

    def sandbox_execute(self, job: m.GradeJob, limits: Limits, variant: dict, calls: list = ()) -> m.Execution:
        from .confinement import course_import_path
        from .sandbox import execute

        request = m.ExecuteJob(
            cells=job.cells, names=job.names, path=course_import_path(), variant=variant, functions=list(calls)
        )
        return execute(self.sandbox, request, limits, start=self.warm.run_once if self.warm else None)


def worker_main() -> None:
    """Entry point of a worker process: grade the jobs read from stdin, one per line; answer
    each on the original stdout."""
    mode, slot, mpl = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None
    unsafe = sys.argv[4:5] == ["unsafe"]
    set_subreaper()
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    warm = os.environ.get(WARM_ENV, "1") != "0"
    grader = _Grader(mode, slot, Path(mpl) if mpl else None, unsafe=unsafe, warm=warm)
    if grader.warm is not None:
        grader.warm.launch()  # its imports overlap the worker's own below
    import otter.test_files  # noqa: F401 -- once, before the first job

    import mlsys_lab.course.checks  # noqa: F401
    import mlsys_lab.units  # noqa: F401

    for line in sys.stdin:
        if not line.strip():
            continue
        job = m.GradeJob.from_json(line)
        result = grader.grade(job)
        result.peak_rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        out.write(json.dumps({"id": job.id, "result": json.loads(result.to_json())}) + "\n")
    if grader.warm is not None:
        grader.warm.stop()


class Worker:
    """The dispatcher's handle on one worker process."""

    def __init__(self, log_dir: Path, index: int, mode: str, slot: int, mpl_cache: Path | None, unsafe: bool = False):
        bootstrap = (
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            "from autograder.grading.pool import worker_main; worker_main()"
        )
        self.log = open(log_dir / f"worker-{index}.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", bootstrap, mode, str(slot), str(mpl_cache or ""), "unsafe" if unsafe else ""],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            start_new_session=True,
        )
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.buffer = b""
        self.job: m.GradeJob | None = None
        self.deadline = 0.0

    def send(self, job: m.GradeJob, deadline: float) -> None:
        self.job, self.deadline = job, deadline
        self.proc.stdin.write((job.to_json() + "\n").encode())
        self.proc.stdin.flush()

    def read_lines(self) -> tuple[list[dict], bool]:
        """Messages available now, and whether the worker's output has closed."""
        closed = False
        while True:
            try:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
            except BlockingIOError:
                break
            if not chunk:
                closed = True
                break
            self.buffer += chunk
        messages = []
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            if line.strip():
                messages.append(json.loads(line))
        return messages, closed

    def kill(self) -> None:
        kill_tree(self.proc)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.log.close()


def sweep_descendants() -> None:
    """Kill and reap every remaining descendant of this process (orphans come here)."""
    import psutil

    me = psutil.Process()
    for _ in range(50):
        try:
            descendants = me.children(recursive=True)
        except psutil.Error:
            descendants = []
        for p in descendants:
            try:
                p.kill()
            except psutil.Error:
                pass
        while True:
            try:
                done, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                done = 0
            if not done:
                break
        if not descendants:
            return
        time.sleep(0.02)


def run_pool(
    jobs: list[m.GradeJob], workers: int, log_dir: Path, on_result, mode: str = "bwrap", unsafe: bool = False
) -> dict:
    """Grade ``jobs`` on up to ``workers`` worker processes, calling ``on_result(job, result)``
    as each finishes. Returns statistics (peak memory, worker restarts). The caller has measured
    the isolation of ``mode`` (:mod:`~autograder.grading.isolation`); ``unsafe`` lets ``user``
    mode run without namespaces."""
    pending = list(jobs)
    stats = {"peak_rss_kib": 0, "worker_restarts": 0}
    log_dir.mkdir(parents=True, exist_ok=True)
    spawned = 0
    tmp = Path(tempfile.mkdtemp(prefix="mlsys-pool-"))
    os.chmod(tmp, 0o755)
    mpl_cache = matplotlib_cache(tmp / "mpl")

    def spawn(slot: int) -> Worker:
        nonlocal spawned
        spawned += 1
        return Worker(log_dir, spawned, mode, slot, mpl_cache, unsafe)

    pool = [spawn(slot) for slot in range(max(1, min(workers, len(jobs))))]
    try:
        while pending or any(w.job for w in pool):
            if stats["worker_restarts"] > 2 * len(pool) + 5 and not any(w.job for w in pool):
                for job in pending:  # workers cannot even start: say so in every row
                    on_result(
                        job,
                        m.GradeResult(
                            ok=False, reason=f"the grader workers keep crashing (see {log_dir})", transient=True
                        ),
                    )
                break
            for i, w in enumerate(pool):
                if w.job is None and pending:
                    job = pending.pop(0)
                    try:
                        w.send(job, time.monotonic() + 2 * (job.timeout + 15) + WORKER_SLACK)
                    except OSError:  # the worker died before taking work
                        pending.insert(0, job)
                        w.job = None
                        w.kill()
                        pool[i] = spawn(i)
                        stats["worker_restarts"] += 1
            busy = [w for w in pool if w.job]
            if busy:
                select.select([w.proc.stdout.fileno() for w in busy], [], [], 0.5)
            for i, w in enumerate(pool):
                if not w.job:
                    continue
                messages, closed = w.read_lines()
                for msg in messages:
                    if w.job and msg.get("id") == w.job.id:
                        result = m.GradeResult.from_dict(msg["result"])
                        stats["peak_rss_kib"] = max(stats["peak_rss_kib"], result.peak_rss_kib)
                        job, w.job = w.job, None
                        on_result(job, result)
                expired = w.job is not None and time.monotonic() > w.deadline
                if w.job is not None and (closed or expired or w.proc.poll() is not None):
                    job, w.job = w.job, None
                    reason = "the grader worker stopped responding" if expired else "the grader worker crashed"
                    w.kill()
                    on_result(job, m.GradeResult(ok=False, reason=reason, transient=True))
                    pool[i] = spawn(i)
                    stats["worker_restarts"] += 1
    finally:
        for w in pool:
            w.kill()
        sweep_descendants()
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return stats


# --------------------------------------------------------------------------------------------
# the same jobs on a Dask cluster


def _dask_task(job_json: str, mode: str, unsafe: bool = False) -> str:
    """What a Dask worker runs for one job: both stages, as a local worker would. The worker's
    sandbox uid is derived from its process id, so two workers on one host never share a
    process count. Its host is not the dispatcher's: the isolation it gets is measured here,
    once per worker process, and without it no student code runs (unless ``unsafe``)."""
    from .isolation import probe, refusal

    job = m.GradeJob.from_json(job_json)
    grader = _PROCESS_GRADERS.get(mode)
    if grader is None:  # once per worker process: its sandbox, scorers, font cache, isolation
        cache = Path(tempfile.mkdtemp(prefix="mlsys-dask-"))
        os.chmod(cache, 0o755)
        grader = _Grader(mode, os.getpid() % 4096, matplotlib_cache(cache / "mpl"), unsafe=unsafe)
        grader.isolation = probe(grader.sandbox)
        _PROCESS_GRADERS[mode] = grader
    if not grader.isolation.isolated and not unsafe:
        reason = f"this Dask worker is not isolated: {refusal(grader.isolation)}"
        return m.GradeResult(ok=False, reason=reason, transient=True).to_json()
    result = grader.grade(job)
    result.peak_rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return result.to_json()


_PROCESS_GRADERS: dict = {}


def run_dask(
    jobs: list[m.GradeJob], scheduler: str, on_result, mode: str = "bwrap", retries: int = 2, unsafe: bool = False
) -> dict:
    """Grade ``jobs`` on the Dask cluster at ``scheduler`` (``tcp://host:8786``), calling
    ``on_result`` as each finishes. Every promise of :func:`run_pool` holds on each worker: the
    sandbox, its limits and its kill live inside the task (Dask cannot kill a running task; it
    never needs to). A worker lost mid-job has its job rescheduled elsewhere (``retries``).

    Each future is released as soon as its row is handed to ``on_result``: the cluster forgets
    the result, so a worker lost later costs only the jobs not yet finished (a kept future's
    result would be recomputed elsewhere). ``stats["retried"]``: jobs the scheduler ran more than
    once (their worker died under them, or the task raised and was retried)."""
    from distributed import Client, as_completed

    def runs_beyond_first(dask_scheduler=None, key=None, allowed=retries):  # runs on the scheduler
        task = dask_scheduler.tasks.get(key)
        if task is None:
            return 0
        return int(getattr(task, "suspicious", 0) or 0) + max(0, allowed - int(getattr(task, "retries", allowed) or 0))

    stats = {"peak_rss_kib": 0, "worker_restarts": 0, "retried": 0}
    by_key = {job.id: job for job in jobs}
    with Client(scheduler, set_as_default=False) as client:
        pending = {
            client.submit(
                _dask_task, job.to_json(), mode, unsafe, key=f"grade-{job.id}", retries=retries, pure=False
            ): job.id
            for job in jobs
        }
        for future in as_completed(list(pending), loop=client.loop):
            job = by_key[pending.pop(future)]
            try:
                result = m.GradeResult.from_json(future.result())
            except Exception as exc:  # noqa: BLE001 -- a lost task still gets its row
                result = m.GradeResult(
                    ok=False, reason=f"the Dask task failed ({type(exc).__name__}: {exc})", transient=True
                )
            try:
                stats["retried"] += 1 if client.run_on_scheduler(runs_beyond_first, key=future.key) else 0
            except Exception:  # noqa: BLE001 -- a scheduler that refuses the question: the count is a floor
                pass
            stats["peak_rss_kib"] = max(stats["peak_rss_kib"], result.peak_rss_kib)
            on_result(job, result)
            future.release()  # handled: nothing on the cluster holds it any more
            del future
    return stats
