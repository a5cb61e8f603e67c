"""Measure how long ``import mlsys_lab`` and the first calculator call take.

Each measurement runs in a fresh Python subprocess (so nothing is cached in
``sys.modules``) and is repeated; the script prints the median and the range. It makes no
assertion: it reports figures for the README and for regressions to be noticed.

    python benchmarks/import_time.py [--repeat 5]

Targets: ``import mlsys_lab`` under 0.1 s (it must not load pint or numpy); the first
calculator call pays for pint and the unit registry once per kernel.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SNIPPETS = {
    "import mlsys_lab": ("import time; t0 = time.perf_counter(); import mlsys_lab; print(time.perf_counter() - t0)"),
    "import mlsys_lab + first calculator call": (
        "import time; t0 = time.perf_counter(); import mlsys_lab; "
        "mlsys_lab.science.roofline.ridge_point(989, 3350); print(time.perf_counter() - t0)"
    ),
    "first call after import (registry build)": (
        "import time; import mlsys_lab; t0 = time.perf_counter(); "
        "mlsys_lab.science.bandwidth.upload_time(7500, 2); print(time.perf_counter() - t0)"
    ),
    "import pint (reference)": ("import time; t0 = time.perf_counter(); import pint; print(time.perf_counter() - t0)"),
    "build the full figure ledger": (
        "import time; t0 = time.perf_counter(); from mlsys_lab.course import ledger; "
        "ledger.figures(); print(time.perf_counter() - t0)"
    ),
}


def measure(code: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    args = parser.parse_args(argv)
    width = max(len(k) for k in SNIPPETS)
    print(f"{'measurement':<{width}}  median      min       max   (seconds, {args.repeat} runs)")
    for label, code in SNIPPETS.items():
        times = measure(code, args.repeat)
        print(f"{label:<{width}}  {statistics.median(times):.4f}  {min(times):.4f}  {max(times):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
