"""What do per-student variants cost in grading time?

For each chapter (default: all), grades ``--count`` copies of the solution notebook twice with
``python -m autograder grade`` (sandboxed, ``--workers 2``): once with a roster that gives every
copy its own roster id (every copy is graded against its own numbers and option order, from its
code under a throwaway variants secret), once with ``--master-numbers`` (everyone on the master's
numbers). The two runs alternate ``--repeat`` times
and the fastest of each counts. Prints both per-submission times, and
per chapter how many questions draw their numbers and how many are shuffled.

Usage: ``python benchmarks/variant_cost.py [--count 20] [--repeat 2] [NAME ...]``. Not a test: no pass/fail.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import nbformat  # noqa: E402
from grading_throughput import build  # noqa: E402


def grade(name: str, files: dict, folder: Path, out: Path, roster: Path | None) -> float:
    command = [sys.executable, "-m", "autograder", "grade", "--assignment", name, "--submissions", str(folder),
               "--out", str(out), "--autograder", str(files["zip"]), "--workers", "2", "--regrade"]  # fmt: skip
    if roster:
        secret = folder.parent / "variants-secret"  # a throwaway secret, never the course's
        secret.write_text("a throwaway secret for the variant-cost benchmark\n")
        command += ["--roster", str(roster), "--secret-file", str(secret)]
    else:
        command += ["--master-numbers"]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(proc.stderr[-2000:])
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side, alternating; the fastest counts")
    args = parser.parse_args(argv)
    from autograder.authoring.assign import masters

    names = args.names or [m.stem for m in masters()]
    print(f"{'chapter':32} {'drawn':>5} {'shuffled':>8} {'s/sub own ids':>13} {'s/sub master':>12}")
    for name in names:
        with tempfile.TemporaryDirectory(prefix=f"variant-cost-{name}-") as tmp:
            work = Path(tmp)
            files = build(name, work)
            folder = work / "subs"
            folder.mkdir()
            solution = nbformat.read(files["solution"], as_version=4)
            for i in range(args.count):  # each copy differs in its code: the same code is graded once
                copy = nbformat.from_dict(solution)
                copy.cells.append(nbformat.v4.new_code_cell(f"copy_number = {i}"))
                nbformat.write(copy, folder / f"s{i:04d}.ipynb")
            roster = work / "roster.csv"
            roster.write_text("file,student_id\n" + "".join(f"s{i:04d}.ipynb,s{i:04d}\n" for i in range(args.count)))
            own, master = [], []
            for _ in range(args.repeat):  # alternate, so warm-up and caches do not favour one side
                master.append(grade(name, files, folder, work / "master", None))
                own.append(grade(name, files, folder, work / "own", roster))
            own, master = min(own), min(master)
            variants = json.loads(zipfile.ZipFile(files["zip"]).read("mlsys_variants.json"))
            drawn = len(set(variants["questions"]) - set(variants.get("shuffled", {})))
            print(f"{name:32} {drawn:>5} {len(variants.get('shuffled', {})):>8} {own / args.count:>13.3f} "
                  f"{master / args.count:>12.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
