"""Time every chapter notebook run top to bottom, as a student (or the grader) would.

Runs the graded solution notebook of each chapter (``autograder/dist/NN/NN.ipynb``, built by
``make assign``) in a fresh kernel and prints the wall-clock time of the whole run and of its
slowest cell. Target: under 20 s per notebook on a 2-core machine. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "autograder" / "dist"


def run(path: Path) -> tuple[float, float, int]:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # the hand-in cell writes a zip; the grader skips it too
        if "otter_ignore" in cell.get("metadata", {}).get("tags", []):
            cell.source = "pass"
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    total = time.perf_counter() - start
    slowest = 0.0
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            from datetime import datetime

            begin = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
            slowest = max(slowest, (end - begin).total_seconds())
    return total, slowest, len(nb.cells)


def main() -> int:
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.path.insert(0, str(ROOT))
    from autograder.authoring.kernels import repoll_kernel_channels

    repoll_kernel_channels()  # else a widget cell can wait out the 120 s timeout
    notebooks = sorted(DIST.glob("[0-9][0-9]_*/[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("no solution notebooks in autograder/dist: run `make assign` first", file=sys.stderr)
        return 1
    print(f"{'notebook':40s} {'cells':>5s} {'total s':>8s} {'slowest cell s':>15s}")
    for path in notebooks:
        total, slowest, cells = run(path)
        print(f"{path.stem:40s} {cells:5d} {total:8.1f} {slowest:15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
