"""Run an autograder zip the way Gradescope does, inside a temporary root.

Gradescope unzips the autograder into ``/autograder/source``, puts the student's files in
``/autograder/submission``, runs ``/autograder/run_autograder`` (a copy of
``source/run_autograder``) and reads ``/autograder/results/results.json``. Here the root is a
temporary folder named by ``MLSYS_AUTOGRADER_ROOT`` (the course's ``run_autograder`` uses
``/autograder`` when it is unset).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    root: Path
    returncode: int | None
    seconds: float
    stdout: str
    stderr: str
    results: dict | None  # results.json, or None when there is none (or it is not JSON)
    results_text: str

    @property
    def score(self) -> float | None:
        return None if self.results is None else float(self.results.get("score", 0))

    def describe(self) -> str:
        return (
            f"exit {self.returncode} after {self.seconds:.0f} s; results: {self.results_text[:400]!r}\n"
            f"stdout: {self.stdout[-1500:]}\nstderr: {self.stderr[-1500:]}"
        )


def lay_out(root: Path, autograder_zip: Path) -> Path:
    """``root/source`` (the unzipped autograder), empty ``root/submission`` and ``root/results``."""
    source = root / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as zf:
        zf.extractall(source)
        for info in zf.infolist():  # zipfile drops the mode bits: restore them, as unzip does
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(source / info.filename, mode)
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root


def run_autograder(root: Path, env: dict | None = None, timeout: float = 600, wrap: tuple = ()) -> Run:
    """``bash ROOT/source/run_autograder`` with ``MLSYS_AUTOGRADER_ROOT=ROOT``; read the results.
    ``wrap``: a command prefix (``setpriv ...`` to run it without CAP_SYS_ADMIN)."""
    script = root / "source" / "run_autograder"
    environment = dict(env if env is not None else os.environ, MLSYS_AUTOGRADER_ROOT=str(root))
    # the course's Python (on Gradescope, run_autograder activates the image's environment)
    environment.setdefault("MLSYS_AUTOGRADER_PYTHON", sys.executable)
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [*wrap, "bash", str(script)], cwd=root, env=environment, capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code, out, err = None, str(exc.stdout or ""), f"timed out after {timeout} s"
    seconds = time.monotonic() - start
    path = root / "results" / "results.json"
    text = path.read_text(errors="replace") if path.exists() else ""
    try:
        results = json.loads(text) if text else None
    except ValueError:
        results = None
    return Run(root, code, seconds, out, err, results, text)


def grade_one(
    root: Path, autograder_zip: Path, place, env: dict | None = None, timeout: float = 600, wrap: tuple = ()
) -> Run:
    """Lay out ``root``, let ``place(submission_dir)`` put the student's file(s), run, read."""
    if root.exists():
        shutil.rmtree(root)
    lay_out(root, autograder_zip)
    place(root / "submission")
    return run_autograder(root, env=env, timeout=timeout, wrap=wrap)
