"""Time a clean build of the book and a rebuild with nothing changed.

Builds into a temporary copy's ``_build`` so the working tree's site is left alone. Prints the
two figures; asserts nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = [str(Path(sys.executable).parent / "jupyter-book"), "build", "-W", "-n", "--keep-going", "."]


def timed(cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(BUILD, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        copy = Path(tmp) / "course"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "_build", "dist", ".pytest_cache"))
        clean = timed(copy)
        again = timed(copy)
        pages = len([p for p in (copy / "_build" / "html").rglob("*.html") if "_static" not in p.parts])
    print(f"clean build:              {clean:6.1f} s  ({pages} pages)")
    print(f"rebuild with no change:   {again:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
