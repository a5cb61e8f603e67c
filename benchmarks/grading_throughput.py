"""How fast does ``python -m autograder grade`` grade a class, compared with ``otter run``?

Generates a class of submissions for one assignment (default: the fixture master; every
notebook is unique, so nothing is graded twice): correct, partly wrong, blank, half blank, and a
few pathological ones (an infinite loop, a memory bomb, ``os._exit``, ``sys.exit``, a flood of
output, malformed and empty files). It then grades them

* with this command (all of them, default workers and timeout), and
* with ``otter run`` called once per file, on an evenly spaced sample of the well-behaved
  submissions (``otter run`` has no timeout or memory cap, so a loop would hang it and a memory
  bomb would take the machine), extrapolating its per-file rate;

and prints submissions per minute for each, their ratio (same run, same machine), the
per-submission floor (kernel start, and one solution graded in a warm process), the peak memory,
and whether the two graders agree on the sampled scores.

Usage: ``python benchmarks/grading_throughput.py [--assignment NAME] [--count 200]
[--otter-sample 12] [--workers N] [--timeout S] [--keep DIR] [--clean] [--cold]``. Not a test: no
pass/fail. The issue's two cases: the standard mix (``--count 200 --cold``) and a clean class of
chapter 01 (``--assignment 01_ml_lifecycle --count 60 --clean --cold``); ``--cold`` also grades the
class with every submission started cold (``MLSYS_WARM=0``, the path before the warm executor).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.authoring import samples  # noqa: E402
from autograder.grading.cli import DEFAULT_TIMEOUT  # noqa: E402
from autograder.grading.report import duration as _duration  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "99_fixture.md"
PATHOLOGICAL = ["infinite_loop", "memory_bomb", "os_exit", "sys_exit", "huge_output"]
KINDS = ["correct", "correct", "wrong", "correct", "blank", "wrong", "half", "correct", "wrong", "half"]


def build(name: str, work: Path) -> dict:
    """Autograder zip, solution and student notebooks of the assignment (built if missing)."""
    from autograder.authoring.assign import DIST, NOTEBOOKS, SOLUTIONS, Outputs, assign_one

    zip_path, solution, student = DIST / f"{name}.zip", DIST / name / f"{name}.ipynb", NOTEBOOKS / f"{name}.ipynb"
    if name != FIXTURE.stem and zip_path.exists() and solution.exists() and student.exists():
        return {"zip": zip_path, "solution": solution, "student": student}
    master = FIXTURE if name == FIXTURE.stem else SOLUTIONS / f"{name}.md"
    print(f"building the autograder of {name} (otter assign) ...", file=sys.stderr)
    out = Outputs.under(work / "notebooks", work / "public_tests", work / "dist", name)
    assign_one(master, out)
    return {"zip": out.dist_zip, "solution": out.dist_dir / f"{name}.ipynb", "student": out.student_notebook}


def generate(files: dict, folder: Path, count: int, clean: bool = False) -> tuple[list[str], list[str]]:
    """Write ``count`` unique submissions; return (all names, well-behaved names)."""
    import nbformat

    solution = nbformat.read(files["solution"], as_version=4)
    student = nbformat.read(files["student"], as_version=4)
    good = samples.fill(student, samples.solution_answers(solution))
    first_answer = min(samples.answer_cells(good), key=samples.answer_cells(good).get)
    folder.mkdir(parents=True, exist_ok=True)
    names, normal = [], []
    for i in range(count):
        if clean:
            kind = KINDS[i % len(KINDS)]
            nb = samples.mix(student, solution, seed=i, kind=kind)
        elif i < len(PATHOLOGICAL):
            kind = PATHOLOGICAL[i]
            nb = samples.with_cell(good, samples.PATHOLOGICAL_CELLS[kind], before_answer=first_answer)
        elif i == len(PATHOLOGICAL):
            kind, nb = "malformed", None
        elif i == len(PATHOLOGICAL) + 1:
            kind, nb = "empty", None
        else:
            kind = KINDS[i % len(KINDS)]
            nb = samples.mix(student, solution, seed=i, kind=kind)
        name = f"s{i:03d}_{kind}.ipynb"
        if nb is None:
            (folder / name).write_text('{"cells": [' if kind == "malformed" else "")
        else:
            nb.cells.append(nbformat.v4.new_code_cell(f"# submission {i}"))  # unique bytes: no dedupe
            nbformat.write(nb, folder / name)
            if kind in ("correct", "wrong", "blank", "half"):
                normal.append(name)
        names.append(name)
    return names, normal


class TreeMemory(threading.Thread):
    """Samples the RSS of a process and all its descendants."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.peak_total = self.peak_single = self.peak_worker = 0
        """peak_worker: the largest sum over one worker's subtree (worker, bubblewrap, zygote, runs)."""

    def run(self) -> None:
        import psutil

        while not self.stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root] + root.children(recursive=True)
            except psutil.Error:
                break
            total, sizes = 0, {}
            for p in procs:
                try:
                    sizes[p.pid] = rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                self.peak_single = max(self.peak_single, rss)
            self.peak_total = max(self.peak_total, total)
            for worker in root.children() if procs else []:
                try:
                    tree = [worker, *worker.children(recursive=True)]
                except psutil.Error:
                    continue
                self.peak_worker = max(self.peak_worker, sum(sizes.get(p.pid, 0) for p in tree))
            time.sleep(0.2)


def run_ours(files: dict, name: str, folder: Path, out: Path, workers, timeout, warm: bool = True) -> dict:
    """``warm=False``: every submission starts cold (``MLSYS_WARM=0``: today's start-up per submission)."""
    command = [sys.executable, "-m", "autograder", "grade", "--assignment", name, "--submissions", str(folder),
               "--out", str(out), "--autograder", str(files["zip"]), "--timeout", str(timeout)]  # fmt: skip
    command += ["--master-numbers"]  # otter run, the comparison, knows only the master's numbers
    if workers:
        command += ["--workers", str(workers)]
    start = time.monotonic()
    env = dict(os.environ, MLSYS_WARM="1" if warm else "0")
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    memory = TreeMemory(proc.pid)
    memory.start()
    stdout, _ = proc.communicate()
    seconds = time.monotonic() - start
    memory.stop.set()
    memory.join()
    if proc.returncode != 0:
        raise SystemExit(f"the grading command failed:\n{stdout}")
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    return {
        "seconds": seconds,
        "rows": rows,
        "summary": stdout.strip(),
        "peak_total": memory.peak_total,
        "peak_single": memory.peak_single,
        "peak_worker": memory.peak_worker,
        "cold_notes": sum(1 for r in rows.values() if "cold start instead" in json.dumps(r)),
    }


def run_otter(files: dict, folder: Path, chosen: list[str], work: Path) -> dict:
    """``otter run`` once per file, one after the other, as an instructor without Docker would."""
    seconds, scores = 0.0, {}
    for index, name in enumerate(chosen, 1):
        out = work / f"otter-{index}"
        out.mkdir()
        start = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "otter", "run", "-a", str(files["zip"]), "-o", str(out), str(folder / name)],
            cwd=out, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        seconds += time.monotonic() - start
        try:
            tests = json.loads((out / "results.json").read_text())["tests"]
            scores[name] = sum(t.get("score", 0) or 0 for t in tests if "max_score" in t)
        except (OSError, ValueError, KeyError):
            scores[name] = None
        print(f"  otter run {index}/{len(chosen)}: {time.monotonic() - start:.1f} s", file=sys.stderr)
    return {"seconds": seconds, "scores": scores}


def floor(files: dict) -> dict:
    """Per-submission cost with everything imported, best of 3 in a warm process: stage 1 of one
    solution without a sandbox and in bubblewrap (their difference is the sandbox's overhead),
    an empty job in each (start-up alone), the same two in the warm executor (a fresh child of
    the zygote), the bare interpreter, the zygote's imports, and stage 2 (scoring its answers)."""
    code = f"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from autograder.grading import intake, messages as m, sandbox as sb
from autograder.grading.score import Scorer, load_assignment
solution, zip_path = {str(files["solution"])!r}, {str(files["zip"])!r}
assignment = load_assignment(Path(zip_path))
entry = intake.Entry(rel="solution.ipynb", path=Path(solution))
intake.prepare(entry, assignment)
job = m.ExecuteJob(cells=entry.cells, names=assignment.answer_names, path=sb.course_import_path())
empty = m.ExecuteJob(cells=[], names=[], path=sb.course_import_path())
scorer = Scorer(Path(zip_path))
def best(f):
    times = []
    for _ in range(3):
        t = time.monotonic(); out = f(); times.append(time.monotonic() - t)
    return min(times), out
limits = sb.Limits(timeout=600)
plain_box, box = sb.Sandbox("none"), sb.Sandbox("bwrap")
none_run, _ = best(lambda: sb.execute(plain_box, job, limits))
bwrap_run, execution = best(lambda: sb.execute(box, job, limits))
none_empty, _ = best(lambda: sb.execute(plain_box, empty, limits))
bwrap_empty, _ = best(lambda: sb.execute(box, empty, limits))
score, scored = best(lambda: scorer.score(execution.answers))
earned = sum(q.score for q in scored[0].values())  # function exercises score 0 here: no calls were asked
assert earned >= assignment.possible - sum(q.possible for q in scored[0].values() if q.note), scored
import subprocess
from autograder.grading.warm import WarmExecutor
interpreter, _ = best(lambda: subprocess.run([*plain_box.runner_argv()[:-1], "-c", "pass"], check=True))
warm = WarmExecutor(box)
t = time.monotonic(); warm.start(); zygote = time.monotonic() - t
warm_empty, _ = best(lambda: sb.execute(box, empty, limits, start=warm.run_once))
warm_run, warm_execution = best(lambda: sb.execute(box, job, limits, start=warm.run_once))
assert warm.cold_starts == 0 and sum(q.score for q in scorer.score(warm_execution.answers)[0].values()) == earned
warm.stop()
print(json.dumps(dict(none_run=none_run, bwrap_run=bwrap_run, none_empty=none_empty, bwrap_empty=bwrap_empty,
                      score=score, interpreter=interpreter, zygote=zygote, imports=warm.preload_seconds,
                      warm_empty=warm_empty, warm_run=warm_run)))
"""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, "-c", code], cwd=tmp, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"measuring the floor failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default=FIXTURE.stem, help="default: the fixture master")
    parser.add_argument("--count", type=int, default=200, help="submissions to generate (default 200)")
    parser.add_argument(
        "--otter-sample", type=int, default=12, help="files timed with `otter run` (0: every well-behaved one)"
    )
    parser.add_argument("--workers", type=int, default=None, help="default: the command's (one per core)")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"default: the command's ({DEFAULT_TIMEOUT:g} s)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep submissions and results in this folder")
    parser.add_argument("--clean", action="store_true", help="a clean class: no pathological or broken files")
    parser.add_argument(
        "--cold", action="store_true", help="also grade the class with every submission started cold (MLSYS_WARM=0)"
    )
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="grading-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load_before = os.getloadavg()[0]
    files = build(args.assignment, work / "build")
    names, normal = generate(files, work / "submissions", args.count, clean=args.clean)
    print(f"{len(names)} submissions written to {work / 'submissions'}; grading ...", file=sys.stderr)

    base = floor(files)
    print(f"floor: {json.dumps(base)}", file=sys.stderr)
    ours = run_ours(files, args.assignment, work / "submissions", work / "out", args.workers, args.timeout)
    print(f"warm: {ours['seconds']:.1f} s, load {os.getloadavg()}", file=sys.stderr)
    cold = None
    if args.cold:
        cold = run_ours(
            files, args.assignment, work / "submissions", work / "out-cold", args.workers, args.timeout, False
        )
        print(f"cold: {cold['seconds']:.1f} s, load {os.getloadavg()}", file=sys.stderr)
    sample = (
        normal if args.otter_sample <= 0 else normal[:: max(1, len(normal) // args.otter_sample)][: args.otter_sample]
    )
    print(f"timing otter run on {len(sample)} files ...", file=sys.stderr)
    theirs = run_otter(files, work / "submissions", sample, work)
    load_after = os.getloadavg()

    ours_rate = len(names) / ours["seconds"] * 60
    otter_each = theirs["seconds"] / len(sample)
    otter_rate = 60 / otter_each
    agree = sum(
        1 for n, s in theirs["scores"].items()
        if s is not None and abs(float(ours["rows"][n]["total_points_earned"]) - s) < 1e-9
    )  # fmt: skip
    workers = args.workers or cores
    per_sub = base["warm_run"] + base["score"]
    cold_sub = base["bwrap_run"] + base["score"]
    fresh_child = base["warm_empty"]
    cells = max(0.0, base["warm_run"] - base["warm_empty"])
    failed = [r["grading_status"] for r in ours["rows"].values() if r["grading_status"].startswith("Failed")]
    lines = [
        f"grading throughput: {args.assignment}, {len(names)} submissions "
        f"({len(normal)} well-behaved, {len(names) - len(normal)} pathological), {cores} cores, {workers} workers, "
        f"timeout {args.timeout:g} s; load average {load_before:.2f} before, os.getloadavg() after: "
        f"{', '.join(f'{x:.2f}' for x in load_after)}",
        f"  python -m autograder grade (warm executor): {len(names)} in {_duration(ours['seconds'])} "
        f"-> {ours_rate:.1f} submissions/min ({len(failed)} rows Failed, {ours['cold_notes']} rows ran cold)",
        (
            f"  the same, every submission cold (MLSYS_WARM=0): {_duration(cold['seconds'])} -> "
            f"{len(names) / cold['seconds'] * 60:.1f} submissions/min; warm is {cold['seconds'] / ours['seconds']:.2f}x that"
            if cold
            else ""
        ),
        f"  otter run, one file at a time: {len(sample)} sampled in {_duration(theirs['seconds'])}, {otter_each:.1f} s each "
        f"-> {otter_rate:.1f} submissions/min (extrapolated: {_duration(otter_each * len(names))} for {len(names)})",
        f"  ratio (same run): {ours_rate / otter_rate:.1f}x  (target >= 20x on 2 cores for a clean class)",
        f"  per-submission floor (one core, best of 3): warm {per_sub:.2f} s = fresh child (fork, namespaces, "
        f"runner set-up) {fresh_child:.2f} s + cells and answers {cells:.2f} s + scoring {base['score'] * 1000:.0f} ms "
        f"-> at most {workers * 60 / per_sub:.0f}/min with {workers} workers",
        f"  paid once per worker by the warm executor: zygote start {base['zygote']:.2f} s, of which imports "
        f"{base['imports']:.2f} s (numpy, pint, matplotlib, IPython, the course)",
        f"  cold start, as before: {cold_sub:.2f} s = sandbox start {base['bwrap_empty'] - base['none_empty']:.2f} s "
        f"+ interpreter {base['interpreter']:.2f} s + runner set-up {base['none_empty'] - base['interpreter']:.2f} s "
        f"+ imports and cells {base['bwrap_run'] - base['bwrap_empty']:.2f} s + scoring {base['score'] * 1000:.0f} ms",
        f"  sandbox overhead: {base['bwrap_run'] - base['none_run']:+.3f} s per solution run "
        f"({base['bwrap_run']:.2f} s in bubblewrap, {base['none_run']:.2f} s without); empty job "
        f"{base['bwrap_empty']:.2f} s vs {base['none_empty']:.2f} s",
        f"  peak memory: {ours['peak_worker'] / 2**20:.0f} MiB per worker (worker, bubblewrap, zygote, run); "
        f"{ours['peak_total'] / 2**20:.0f} MiB for the whole grading process tree; "
        f"largest single process {ours['peak_single'] / 2**20:.0f} MiB (the memory bomb is capped by RLIMIT_AS)",
        f"  scores: this command and otter run agree on {agree}/{len(sample)} sampled submissions",
        f"  files: {work}" if args.keep else "",
    ]
    print("\n".join(line for line in lines if line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
