"""Time a clean build of the book and a rebuild with nothing changed, and size the site.

Builds into a temporary copy's ``_build`` so the working tree's site is left alone. The clean
build includes the course wheel and the live mode (JupyterLite into ``lite/``); the no-op
rebuild skips both when nothing changed. Targets (issue 12): clean <= 200 s on 2 cores,
no-op < 5 s. Prints the figures, each with the machine's load average (the 2 cores may be
shared); asserts nothing.

    .venv/bin/python benchmarks/site_build.py [--keep DIR]

``--keep DIR`` copies the built site to DIR (to try it without touching ``_build/html``).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = [str(Path(sys.executable).parent / "jupyter-book"), "build", "-W", "-n", "--keep-going", "."]


def timed(cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds of one build, and the CPU seconds it and its kernels used (which a
    shared machine stretches far less than the wall clock)."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(BUILD, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the build failed ({done.returncode}):\n{(done.stdout + done.stderr)[-4000:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


_SKIPPED = shutil.ignore_patterns(".git", ".venv", "_build", ".pytest_cache", ".jupyterlite.doit.db")


def _not_copied(folder: str, names: list[str]) -> set[str]:
    """What the copy leaves out: git, the venv, builds and caches, and the built autograders
    (``autograder/dist``; a vendored ``dist`` folder of the site, the widget fonts, stays)."""
    skipped = set(_SKIPPED(folder, names))
    if Path(folder) == ROOT / "autograder":
        skipped |= {"dist"} & set(names)
    return skipped


def load() -> str:
    """The 1, 5 and 15 minute load averages, to read a figure against."""
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="copy the built site here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
        copy = Path(tmp) / "course"
        shutil.copytree(
            ROOT,
            copy,
            ignore=_not_copied,
        )
        print(f"before the build:         {load()}", flush=True)
        clean, clean_cpu = timed(copy)
        print(f"clean build:              {clean:6.1f} s  (CPU {clean_cpu:.1f} s; {load()})", flush=True)
        again, again_cpu = timed(copy)
        print(f"rebuild with no change:   {again:6.1f} s  (CPU {again_cpu:.1f} s; {load()})", flush=True)
        html = copy / "_build" / "html"
        pages = len([p for p in html.rglob("*.html") if not {"_static", "lite"} & set(p.parts)])
        sizes = {name: size_mb(html / name) for name in ("lite", "lite/static/pyodide", "_course")}
        total = size_mb(html)
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(html, args.keep)
    print(f"pages:                    {pages} (with JupyterLite and the wheel)")
    print(
        f"site size:                {total:6.1f} MB  (live mode lite/ {sizes['lite']:.1f} MB, of which "
        f"Pyodide {sizes['lite/static/pyodide']:.1f} MB; course wheel {sizes['_course']:.2f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
