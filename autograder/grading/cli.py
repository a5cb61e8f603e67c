"""``python -m autograder grade``: grade a folder of submissions on this machine.

Usage::

    python -m autograder grade --assignment NN_topic --submissions DIR --out OUTDIR
        [--workers N] [--timeout SECONDS] [--memory-mb MB] [--autograder ZIP] [--regrade]
        [--unsafe-no-isolation] [--roster CSV] [--secret-file FILE | --master-numbers]

Questions whose numbers vary per student are graded on each student's own numbers: the roster
gives each file's roster id, and the instructor's variants secret (``--secret-file``, or the
file named by ``MLSYS_VARIANTS_SECRET_FILE``) turns the id into the student's personal code. A
file without an id (no ``--roster``, or not on it) scores 0 on those questions, with the reason
in its row and in the summary; ``--master-numbers`` grades everyone on the master's numbers
instead, and every row says so.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from pathlib import Path

from . import identity, intake, report
from . import messages as m
from .isolation import choose_mode, isolation_for
from .pool import run_pool, set_subreaper
from .sandbox import Limits, Sandbox, SandboxUnavailable
from .score import BadAutograder, load_assignment

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "autograder" / "dist"
DEFAULT_TIMEOUT = 120
DEFAULT_MEMORY_MB = 2048


class GradeError(RuntimeError):
    """The batch cannot start (no autograder, no submissions folder, no sandbox, ...)."""


def _read_cache(path: Path) -> m.GradeResult | None:
    try:
        return m.GradeResult.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None


def _usable(cached: m.GradeResult | None, limits: dict) -> bool:
    """A cached result is reused unless a limit shaped it and the limits have changed since
    (so a longer --timeout regrades only what timed out)."""
    if cached is None or cached.transient:
        return False
    return not cached.limited or cached.limits == limits


def grade(
    assignment_name: str,
    submissions: Path,
    out_dir: Path,
    autograder: Path | None = None,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    regrade: bool = False,
    sandbox: str | None = None,
    dask: str | None = None,
    shard: tuple[int, int] | None = None,
    cached_only: bool = False,
    roster: Path | None = None,
    secret_file: Path | None = None,
    master_numbers: bool = False,
    stderr=None,
    unsafe: bool = False,
) -> dict:
    """Grade every submission under ``submissions``; write ``grades.csv``, ``results.json``
    and ``feedback/``. Returns a summary dictionary (also printed by :func:`main`).

    ``dask``: a scheduler address; the jobs run on that cluster instead of local workers.
    ``shard``: ``(i, n)``, grade only the i-th of n deterministic slices (1-based) into the
    cache and write no CSV (``merge`` joins the shards). ``cached_only``: grade nothing, take
    every result from the cache (what ``merge`` does), and fail if one is missing.
    ``roster``, ``secret_file``, ``master_numbers``: whose numbers each file is graded on (module
    docstring). ``sandbox``: force a mode (else ``MLSYS_SANDBOX``, else the best available); its
    isolation is measured before any student code runs, and without it nothing runs unless
    ``unsafe`` (``--unsafe-no-isolation``), in which case every row says so."""
    stderr = stderr or sys.stderr
    start = time.monotonic()
    submissions, out_dir = Path(submissions), Path(out_dir)
    autograder = Path(autograder) if autograder else DIST / f"{assignment_name}.zip"
    if not autograder.is_file():
        if (ROOT / "solutions" / f"{assignment_name}.md").is_file():  # a checkout of the course: build it
            raise GradeError(
                f"no autograder at {autograder}: run `python -m autograder assign {assignment_name}` first"
            )
        raise GradeError(  # the installed tool: the zip comes from whoever built the course
            f"no autograder at {autograder}: pass --autograder PATH/{assignment_name}.zip, the autograder zip "
            "built for this assignment (`assign` in the course repository writes it to autograder/dist/)"
        )
    if not submissions.is_dir():
        raise GradeError(f"{submissions} is not a folder")
    try:
        sandbox = None if cached_only else choose_mode(sandbox or os.environ.get("MLSYS_SANDBOX") or None, unsafe)
        assignment = load_assignment(autograder, assignment_name)
    except (SandboxUnavailable, BadAutograder) as exc:
        raise GradeError(str(exc)) from exc
    if not workers:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    entries, passed_over = intake.discover(submissions, out_dir)
    if not entries:
        raise GradeError(f"no .ipynb or .zip files under {submissions}")
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_dir = out_dir / ".cache"
    cache_dir.mkdir(exist_ok=True)
    extra = ()  # the isolation a result was graded under is in its own notes (and cached with it)
    assignment, extra = _whose_numbers(entries, assignment, roster, secret_file, master_numbers, extra)
    for entry in entries:
        intake.prepare(entry, assignment)
        if entry.cells is not None:
            entry.key = intake.cache_key(entry, assignment)
    same: dict[str, list] = {}
    for entry in entries:
        if entry.notebook_sha:
            same.setdefault(entry.notebook_sha, []).append(entry)
    for group in same.values():
        for entry in group if len(group) > 1 else []:
            others = [e.rel for e in group if e is not entry]
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            entry.private_notes.append(f"identical content to {shown}")

    by_key: dict[str, list] = {}
    for entry in entries:
        if entry.key:
            by_key.setdefault(entry.key, []).append(entry)
    limits = Limits(timeout=float(timeout), memory_mb=int(memory_mb)).key()
    from_cache, keys = 0, []
    for key in sorted(by_key):
        cached = None if regrade else _read_cache(cache_dir / f"{key}.json")
        if _usable(cached, limits) and (unsafe or not _unisolated(cached)):
            for entry in by_key[key]:
                entry.result = cached
            from_cache += len(by_key[key])
        else:
            keys.append(key)
    if shard is not None:
        index, count = shard
        keys = [key for position, key in enumerate(sorted(by_key)) if position % count == index - 1 and key in keys]
    if cached_only and keys:
        unplaced = sorted(e.rel for k in keys for e in by_key[k])
        shown = ", ".join(unplaced[:20]) + (f" and {len(unplaced) - 20} more" if len(unplaced) > 20 else "")
        raise GradeError(
            f"{len(unplaced)} submission(s) have no result in {cache_dir} under --timeout {float(timeout):g} "
            f"--memory-mb {int(memory_mb)} (a shard missing or failed): {shown}; rerun that shard, then merge again "
            "(or merge --grade-missing)"
        )

    found, opened = _measure_isolation(sandbox, unsafe) if keys else (None, contextlib.ExitStack())
    progress = report.Progress(len(entries), stderr)
    counters = {"done": len(entries) - sum(len(by_key[k]) for k in keys)}
    counters["failed"] = sum(1 for e in entries if e.failure or (e.result is not None and not e.result.ok))
    progress.update(counters["done"], counters["failed"], force=True)
    stats = {"peak_rss_kib": 0, "worker_restarts": 0}
    if keys:
        jobs = [
            m.GradeJob(
                id=key,
                cells=by_key[key][0].cells,
                names=assignment.answer_names,
                assignment=assignment.name,
                zip=str(assignment.zip_path.resolve()),
                timeout=float(timeout),
                memory_mb=int(memory_mb),
                student=by_key[key][0].student,
                code=by_key[key][0].code,
                missing=by_key[key][0].missing,
            )
            for key in keys
        ]

        def on_result(job: m.GradeJob, result: m.GradeResult) -> None:
            result.limits = limits
            result.notes = [*result.notes, found.short()]
            group = by_key[job.id]
            for entry in group:
                entry.result = result
            if not result.transient:
                report.write_atomic(cache_dir / f"{job.id}.json", result.to_json().encode())
            counters["done"] += len(group)
            counters["failed"] += len(group) if not result.ok else 0
            progress.update(counters["done"], counters["failed"])

        with opened:  # permissions opened for an unisolated stranger uid are restored on the way out
            if dask:
                from .pool import run_dask

                stats = run_dask(jobs, dask, on_result, mode=sandbox, unsafe=unsafe)
            else:
                stats = run_pool(jobs, workers, out_dir / ".logs", on_result, mode=sandbox, unsafe=unsafe)
    progress.update(len(entries), counters["failed"], force=True)
    progress.close()
    if shard is not None:
        return {
            "shard": f"{shard[0]}/{shard[1]}",
            "jobs": len(keys),
            "seconds": time.monotonic() - start,
            "cache": str(cache_dir),
        }

    report.flag_copies(entries, assignment)
    report.write_csv(out_dir / "grades.csv", entries, assignment, extra)
    report.write_results(out_dir / "results.json", entries, assignment, extra, isolation=found and found.to_dict())
    report.write_feedback(out_dir, entries, assignment, extra)
    failed = []
    for entry in entries:
        _, _, status = report.row_of(entry, assignment, extra)
        if status.startswith("Failed"):
            failed.append((entry.rel, status[len("Failed: ") :]))
    summary = {
        "files": len(entries),
        "graded": sum(len(by_key[k]) for k in keys),
        "jobs": len(keys),
        "from_cache": from_cache,
        "failed": failed,
        "passed_over": passed_over,
        "seconds": time.monotonic() - start,
        "workers": min(workers, len(keys)) if keys else 0,
        "peak_rss_mib": stats["peak_rss_kib"] / 1024,
        "worker_restarts": stats["worker_restarts"],
        "retried": stats.get("retried", 0),  # Dask: jobs run more than once (a lost worker)
        "csv": str(out_dir / "grades.csv"),
        "sandbox": sandbox,
        "isolation": found.to_dict() if found else None,
        "numbers": _numbers_summary(entries, assignment, roster, master_numbers),
    }
    summary.update(_after_grading(assignment.name, submissions, out_dir, assignment.zip_path))
    return summary


def _unisolated(cached: m.GradeResult) -> bool:
    """A result graded without isolation (``--unsafe-no-isolation``) is not reused by a safe run."""
    return any(str(note).startswith("NOT ISOLATED") for note in cached.notes)


def _measure_isolation(mode: str, unsafe: bool):
    """The isolation ``mode`` really gives, measured by a probe before any student code runs;
    :class:`GradeError` (no code runs) when there is none and ``unsafe`` was not given."""
    opened = contextlib.ExitStack()
    try:
        found = opened.enter_context(isolation_for(Sandbox(mode, slot=0, unsafe=unsafe)))
    except SandboxUnavailable as exc:
        raise GradeError(str(exc)) from exc
    return found, opened


def _whose_numbers(entries, assignment, roster, secret_file, master_numbers: bool, extra: tuple):
    """Set each entry's roster id and personal code (or why it has none); the assignment with
    the secret for the report's letter mapping; the batch's extra row notes."""
    import dataclasses

    if master_numbers:
        if roster is not None:
            raise GradeError(
                "--master-numbers and --roster are alternatives: the master's numbers for all, or each their own"
            )
        if assignment.varied:
            extra += (
                f"graded on the master's numbers (--master-numbers): {', '.join(assignment.varied)} vary per student",
            )
        return assignment, extra
    ids = {}
    if roster is not None:
        try:
            ids = intake.read_roster(Path(roster))
        except intake.RosterError as exc:
            raise GradeError(str(exc)) from exc
    secret = _secret(secret_file) or assignment.secret
    if roster is not None and assignment.varied and not secret:
        raise GradeError(
            f"{', '.join(assignment.varied)} vary per student, and their numbers come from the course's variants "
            f"secret: pass --secret-file FILE or set {identity.SECRET_ENV} (or --master-numbers to grade everyone "
            "on the master's numbers)"
        )
    for entry in entries:
        if roster is None:
            entry.missing = "no roster was given to the grader, so it cannot tell whose numbers this file holds"
        elif entry.rel not in ids:
            entry.missing = "this file is not on the roster, so the grader cannot tell whose numbers it holds"
            entry.notes.append("not on the roster")
        else:
            found = identity.with_code(ids[entry.rel], secret)
            entry.student, entry.code, entry.missing = found.student, found.code, found.missing
        if not assignment.varied:
            entry.missing = None
        elif entry.missing:
            entry.notes.append(identity.varied_note(assignment.varied, entry.missing))
    return dataclasses.replace(assignment, secret=secret), extra


def _secret(secret_file: Path | None) -> str | None:
    """The instructor's variants secret from ``secret_file`` or the environment (None: neither).
    A file the sandboxed notebook could read is refused."""
    import os

    from .sandbox import course_paths

    path = secret_file or os.environ.get(identity.SECRET_ENV)
    if not path:
        return None
    path = Path(path).resolve()
    if any(path.is_relative_to(p) for p in course_paths()):
        raise GradeError(f"{path}: the variants secret must live outside the folders the sandboxed notebook reads")
    try:
        return identity.read_secret_file(path)
    except identity.SecretError as exc:
        raise GradeError(str(exc)) from exc


def _numbers_summary(entries, assignment, roster, master_numbers: bool) -> str:
    """One line for the summary: whose numbers the varied questions were graded on."""
    if not assignment.varied:
        return ""
    if master_numbers:
        return "the master's numbers for every file (--master-numbers)"
    if roster is None:
        return f"none: no --roster, so {', '.join(assignment.varied)} scored 0 in every row"
    missing = [e.rel for e in entries if e.missing]
    if not missing:
        return "each student's own (every file is on the roster)"
    shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
    return f"each student's own; {len(missing)} file(s) not on the roster scored 0 on {', '.join(assignment.varied)}: {shown}"


def _after_grading(name: str, submissions: Path, out_dir: Path, autograder: Path | None = None) -> dict:
    """The class report and the written-answer sheets. A problem there never costs the grades
    (already written): it is reported in the summary instead."""
    done = {}
    steps = (
        ("report", "autograder.review.class_report", "write_report", (out_dir,)),
        ("written", "autograder.review.written", "export_sheets", (name, submissions, out_dir, None, autograder)),
    )
    for key, module_name, function, args in steps:
        try:
            import importlib

            module = importlib.import_module(module_name)
        except ImportError:
            continue
        try:
            done[key] = str(getattr(module, function)(*args))
        except Exception as exc:  # noqa: BLE001 -- reported, grades are safe
            done[key] = f"not written ({type(exc).__name__}: {exc})"
    return done


def main(argv=None) -> int:
    from autograder.__main__ import program

    parser = argparse.ArgumentParser(prog=f"{program()} grade", description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", required=True, help="e.g. 01_ml_lifecycle")
    parser.add_argument("--submissions", required=True, type=Path, help="folder of .ipynb / otter .zip files")
    parser.add_argument("--out", required=True, type=Path, help="folder for grades.csv, feedback/ and the cache")
    parser.add_argument("--workers", type=int, default=None, help="submissions graded at once (default: one per core)")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"wall-clock seconds per run (default {DEFAULT_TIMEOUT})"
    )
    parser.add_argument(
        "--memory-mb",
        type=int,
        default=DEFAULT_MEMORY_MB,
        help=f"address-space cap of the notebook's process (default {DEFAULT_MEMORY_MB})",
    )
    parser.add_argument(
        "--autograder", type=Path, default=None, help="otter autograder zip (default autograder/dist/NAME.zip)"
    )
    parser.add_argument("--regrade", action="store_true", help="ignore results cached by earlier runs")
    parser.add_argument(
        "--unsafe-no-isolation",
        "--no-sandbox",
        dest="unsafe",
        action="store_true",
        help="grade even where no isolation is available (no bubblewrap, no namespaces): student code can then "
        "read your files and reach the network; every row says so (UNSAFE: only on a machine you can throw away)",
    )
    parser.add_argument(
        "--roster",
        type=Path,
        default=None,
        help="CSV with columns file, student_id: each submission is graded against its student's own numbers",
    )
    parser.add_argument(
        "--secret-file",
        type=Path,
        default=None,
        help=f"the course's variants secret (default: the file named by {identity.SECRET_ENV})",
    )
    parser.add_argument(
        "--master-numbers",
        action="store_true",
        help="grade every file on the master's numbers (a course that gave students no codes); every row says so",
    )
    parser.add_argument(
        "--dask",
        metavar="SCHEDULER",
        default=None,
        help="grade on a Dask cluster (e.g. tcp://10.0.0.5:8786) instead of local workers",
    )
    parser.add_argument(
        "--shard",
        metavar="I/N",
        type=_shard,
        default=None,
        help="grade only slice I of N (1-based) into OUT/.cache; join the shards with `merge`",
    )
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1 or args.timeout <= 0 or args.memory_mb < 256:
        parser.error("--workers >= 1, --timeout > 0 and --memory-mb >= 256 please")
    if args.dask and args.shard:
        parser.error("--dask and --shard are alternatives: a cluster, or slices on a batch scheduler")
    set_subreaper()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up on SIGTERM too
    try:
        summary = grade(
            args.assignment,
            args.submissions,
            args.out,
            autograder=args.autograder,
            workers=args.workers,
            timeout=args.timeout,
            memory_mb=args.memory_mb,
            regrade=args.regrade,
            unsafe=args.unsafe,
            dask=args.dask,
            shard=args.shard,
            roster=args.roster,
            secret_file=args.secret_file,
            master_numbers=args.master_numbers,
        )
    except GradeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: finished submissions are cached in OUT/.cache; run again to resume", file=sys.stderr)
        return 130
    if "shard" in summary:
        print(
            f"shard {summary['shard']}: {summary['jobs']} notebooks graded into {summary['cache']} "
            f"in {report.duration(summary['seconds'])}; join the shards with `{program()} merge`"
        )
        return 0
    print(report.format_summary(summary))
    return 0


def _shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write I/N, e.g. 2/8") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"{text!r}: I must be between 1 and N")
    return index, count


def shard_limits(paths: list[Path], timeout: float | None, memory_mb: int | None) -> tuple[float, int]:
    """The time and memory limits the shards graded under (each cached result records them), so
    a result a limit shaped is reused, not reported missing; ``timeout``/``memory_mb`` given on
    the command line win. Shards graded under different limits are refused, naming them."""
    found: dict[tuple, int] = {}
    for path in paths:
        result = _read_cache(path)
        if result is not None and result.limits:
            key = (float(result.limits.get("timeout", DEFAULT_TIMEOUT)), int(result.limits.get("memory_mb", 0)))
            found[key] = found.get(key, 0) + 1
    if timeout is None and memory_mb is None and len(found) > 1:
        shown = "; ".join(f"--timeout {t:g} --memory-mb {mb} ({n} results)" for (t, mb), n in sorted(found.items()))
        raise GradeError(f"the shards were graded under different limits: {shown}; pass the ones to merge under")
    (shard_timeout, shard_memory), *_ = found or [(DEFAULT_TIMEOUT, DEFAULT_MEMORY_MB)]
    return (
        float(shard_timeout if timeout is None else timeout),
        int((shard_memory or DEFAULT_MEMORY_MB) if memory_mb is None else memory_mb),
    )


def merge_main(argv=None) -> int:
    """``python -m autograder merge``: join shard results into one CSV and feedback folder,
    byte for byte what a single run would have written."""
    from autograder.__main__ import program

    parser = argparse.ArgumentParser(prog=f"{program()} merge", description=merge_main.__doc__.split("\n")[0])
    parser.add_argument("--assignment", required=True)
    parser.add_argument("--submissions", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path, help="folder for the merged grades.csv and feedback/")
    parser.add_argument("--autograder", type=Path, default=None)
    parser.add_argument("--roster", type=Path, default=None, help="the roster the shards were graded with")
    parser.add_argument("--secret-file", type=Path, default=None, help="the variants secret they were graded with")
    parser.add_argument("--master-numbers", action="store_true", help="the shards were graded on the master's numbers")
    parser.add_argument("--timeout", type=float, default=None, help="the shards' --timeout (default: read from them)")
    parser.add_argument("--memory-mb", type=int, default=None, help="the shards' --memory-mb (default: read from them)")
    parser.add_argument(
        "--grade-missing", action="store_true", help="grade here what no shard holds (else: name them and stop)"
    )
    parser.add_argument("shards", nargs="+", type=Path, help="each shard's --out folder")
    args = parser.parse_args(argv)
    cache = args.out / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    copied, seen = 0, []
    for shard in args.shards:
        found = sorted((shard / ".cache").glob("*.json"))
        if not found:
            print(f"error: {shard} holds no shard results (.cache/*.json)", file=sys.stderr)
            return 1
        seen += found
        for path in found:
            if path.parent.resolve() != cache.resolve():
                report.write_atomic(cache / path.name, path.read_bytes())
                copied += 1
    try:
        timeout, memory_mb = shard_limits(seen, args.timeout, args.memory_mb)
        summary = grade(
            args.assignment,
            args.submissions,
            args.out,
            autograder=args.autograder,
            timeout=timeout,
            memory_mb=memory_mb,
            cached_only=not args.grade_missing,
            roster=args.roster,
            secret_file=args.secret_file,
            master_numbers=args.master_numbers,
        )
    except GradeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"merged {copied} results from {len(args.shards)} shards")
    print(report.format_summary(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
