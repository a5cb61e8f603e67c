"""What does grading on a Dask cluster cost over local workers?

Generates the standard class (``grading_throughput.py``'s mix: correct, wrong, blank, half and a
few pathological notebooks; default 200), grades it with 2 local workers and then on a Dask
``LocalCluster`` of 2 single-threaded worker processes, and prints both times and the
cluster's overhead per submission (target: under 0.2 s). Both runs must write the same CSV.

Usage: ``python benchmarks/cluster_overhead.py [--assignment NAME] [--count 200]``. Not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from grading_throughput import FIXTURE, build, generate  # noqa: E402

from autograder.grading.cli import grade  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default=FIXTURE.stem)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    files = build(args.assignment, work / "build")
    names, _ = generate(files, work / "submissions", args.count)
    quiet = open("/dev/null", "w")

    start = time.monotonic()
    grade(args.assignment, work / "submissions", work / "local", autograder=files["zip"], workers=2, stderr=quiet)
    local = time.monotonic() - start

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        start = time.monotonic()
        grade(args.assignment, work / "submissions", work / "dask", autograder=files["zip"],
              dask=cluster.scheduler_address, stderr=quiet)  # fmt: skip
        clustered = time.monotonic() - start
    same = (work / "local" / "grades.csv").read_bytes() == (work / "dask" / "grades.csv").read_bytes()
    print(f"cluster overhead: {args.assignment}, {len(names)} submissions, 2 workers each")
    print(f"  local workers: {local:.1f} s; Dask LocalCluster: {clustered:.1f} s (cluster start excluded)")
    print(f"  overhead per submission: {(clustered - local) / len(names):+.3f} s (target < 0.2 s)")
    print(f"  identical grades.csv: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
