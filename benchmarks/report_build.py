"""Measure how long the class report takes to build for a large generated class.

Each run is a fresh ``python -m autograder report`` subprocess (so matplotlib's import is
counted, as an instructor pays it) over a ``results.json`` of ``--rows`` generated submissions
(:mod:`autograder.review.class_report.synthetic`: eight questions, five multiple choice, a few failed
and timed-out rows), with the chapter master's multiple-choice options. The script prints the
median and range of the wall-clock time and the in-process time split by step; it makes no
assertion.

    python benchmarks/report_build.py [--rows 2000] [--repeat 3]

Target (issue 14): under 10 s for 2,000 rows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from autograder.review.class_report.synthetic import results

    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        out = Path(tmp)
        data = results(args.rows)
        (out / "results.json").write_text(json.dumps(data))
        walls = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "autograder", "report", "--out", str(out)],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            walls.append(time.perf_counter() - start)
        size = (out / "report.html").stat().st_size + sum(p.stat().st_size for p in (out / "report").glob("*.png"))

        # in-process split (second build in this process: imports already paid)
        from autograder.review.class_report import choice_options, figures
        from autograder.review.class_report.stats import compute

        t0 = time.perf_counter()
        options = choice_options(ROOT / "solutions" / f"{data['assignment']}.md")
        t1 = time.perf_counter()
        stats = compute(data, options)
        t2 = time.perf_counter()
        for name, draw in (
            ("a.png", figures.score_distribution),
            ("b.png", figures.items),
            ("c.png", figures.distractors),
        ):
            draw(stats, out / name)
        t3 = time.perf_counter()

    print(f"class report for {args.rows} rows, {args.repeat} fresh processes (python -m autograder report):")
    print(
        f"  wall clock: median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}); target < 10 s"
    )
    print(f"  output: {size / 1024:.0f} KiB (report.html + PNGs)")
    print(
        f"  in-process steps: master options {t1 - t0:.2f} s, statistics {t2 - t1:.3f} s, three figures {t3 - t2:.2f} s"
    )
    flagged = ", ".join(f"{i['question']} ({'; '.join(i['flags'])})" for i in stats["flagged"])
    print(f"  flagged questions: {flagged or 'none'}")


if __name__ == "__main__":
    main()
