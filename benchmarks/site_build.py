"""Time a clean build of the book and a rebuild with nothing changed, and size the site.

Builds into a temporary copy's ``_build`` so the working tree's site is left alone. The clean
build includes the course wheel and the live mode (JupyterLite into ``lite/``); the no-op
rebuild skips both when nothing changed. Targets (issue 12): clean <= 200 s on 2 cores,
no-op < 5 s. Prints the figures; asserts nothing.
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


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        copy = Path(tmp) / "course"
        shutil.copytree(
            ROOT,
            copy,
            ignore=shutil.ignore_patterns(".git", ".venv", "_build", "dist", ".pytest_cache", ".jupyterlite.doit.db"),
        )
        clean = timed(copy)
        again = timed(copy)
        html = copy / "_build" / "html"
        pages = len([p for p in html.rglob("*.html") if not {"_static", "lite"} & set(p.parts)])
        sizes = {name: size_mb(html / name) for name in ("lite", "lite/static/pyodide", "_course")}
        total = size_mb(html)
    print(f"clean build:              {clean:6.1f} s  ({pages} pages, with JupyterLite and the wheel)")
    print(f"rebuild with no change:   {again:6.1f} s")
    print(
        f"site size:                {total:6.1f} MB  (live mode lite/ {sizes['lite']:.1f} MB, of which "
        f"Pyodide {sizes['lite/static/pyodide']:.1f} MB; course wheel {sizes['_course']:.2f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
