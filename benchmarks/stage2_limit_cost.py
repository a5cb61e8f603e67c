"""What stage 2's limits cost per submission: ``Scorer.score`` in the warm process against
``score_limited`` (a forked child under RLIMIT_AS and a wall-clock deadline, result as JSON over
a pipe), on the built autograder zips.

Usage: ``python benchmarks/stage2_limit_cost.py [NN_topic ...]`` (default: every zip in
``autograder/dist``). Not a test: prints the median of 20 runs of each, and the difference.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import otter.test_files  # noqa: E402,F401

import mlsys_lab.units  # noqa: E402,F401 -- warm, as a grader worker is
from autograder.grading import answers as plain  # noqa: E402
from autograder.grading.score import Scorer, score_limited  # noqa: E402


def median_seconds(run, *args, repeats: int = 20) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(names: list[str]) -> None:
    names = names or sorted(p.stem for p in (ROOT / "autograder" / "dist").glob("*.zip"))
    for name in names:
        scorer = Scorer(ROOT / "autograder" / "dist" / f"{name}.zip")
        answers = {n: {"kind": "value", "value": 1.0} for n in scorer.names}
        text = json.dumps({"format": plain.FORMAT, "answers": answers})
        scorer.score(text), score_limited(scorer, text)  # first runs build caches
        here = median_seconds(scorer.score, text)
        limited = median_seconds(score_limited, scorer, text)
        print(
            f"{name}: {len(scorer.test_files)} questions; in the worker {here * 1000:.1f} ms, "
            f"limited {limited * 1000:.1f} ms, cost {(limited - here) * 1000:+.1f} ms per submission"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
