"""The Gradescope entry point: the same two stages behind the autograder zip's ``run_autograder``.

Gradescope unpacks the zip into ``/autograder/source``, puts the student's files in
``/autograder/submission`` and reads ``/autograder/results/results.json``. Here:

1. the notebook is read and checked as in a local batch (:mod:`~autograder.grading.intake`);
2. stage 1 runs it in bubblewrap where the platform's container allows user namespaces, and
   otherwise as an unprivileged uid (the approach of PrairieLearn's Python grader): before the
   student's code starts, the tests, the submission folder and the results folder are made
   unreadable to that uid (and hidden by empty mounts where the container allows mounts), and
   the course package it imports is a copy outside them;
3. stage 2 scores the answers file in this process, which never imported student code, with
   the tests from ``source/tests`` (the same files as in the zip);
4. ``results.json`` gets one test per question: score, maximum and the student's feedback.

``MLSYS_AUTOGRADER_ROOT`` replaces ``/autograder`` (the tests lay out a root of their own),
``MLSYS_SANDBOX`` forces ``bwrap``, ``user`` or ``none``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

from . import intake, misconceptions, report
from . import messages as m
from .pool import _Grader
from .sandbox import SandboxUnavailable, check_available
from .score import load_assignment

TIMEOUT = 600
MEMORY_MB = 4096


def _choose_mode() -> str:
    forced = os.environ.get("MLSYS_SANDBOX")
    if forced:
        check_available(forced)
        return forced
    try:
        check_available("bwrap")
        return "bwrap"
    except SandboxUnavailable:
        check_available("user")
        return "user"


def _lock_down(root: Path, course: Path) -> None:
    """User mode: nothing the stranger uid could use to cheat is readable by it."""
    for path in (root / "source", root / "submission", root / "results"):
        if path.exists():
            os.chmod(path, 0o700)
    metadata = root / "submission_metadata.json"
    if metadata.exists():
        os.chmod(metadata, 0o600)
    for path in [course, *course.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    # the Python it runs must be reachable (on Gradescope it lives under /root)
    for prefix in {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), course}:
        for parent in prefix.parents:
            if parent == Path("/"):
                break
            mode = os.stat(parent).st_mode
            if not mode & stat.S_IXOTH:
                os.chmod(parent, mode | stat.S_IXOTH)


def _student_id(root: Path) -> str | None:
    """The submitter's roster id from Gradescope's metadata: the student id (SID) the course
    roster gives Gradescope, else the e-mail address; never anything typed in the notebook."""
    from mlsys_lab.course.variants import ROSTER_ID

    try:
        users = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8"))["users"]
        user = users[0]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None
    for key in ("sid", "email"):
        value = str(user.get(key) or "").strip()
        if ROSTER_ID.match(value):
            return value
    return None


def _kill_uid(uid: int | None) -> None:
    """Whatever the student's process left running as its uid (a double-forked daemon) dies
    before the results are written."""
    if uid is None:
        return
    import psutil

    for proc in psutil.process_iter(["uids"]):
        try:
            if proc.info["uids"] and uid in proc.info["uids"]:
                proc.kill()
        except psutil.Error:
            pass


def _feedback(question: str, score: m.QuestionScore | None, diagnosis: str | None = None) -> str:
    if score is None:
        return "not graded"
    lines = []
    if score.note:
        lines.append(score.note)
    if diagnosis:  # the misconception a chosen distractor follows from (grading/misconceptions.py)
        lines.append(diagnosis)
    hidden = public = 0
    for case in score.cases:
        if case.hidden:
            hidden += 1
            lines.append(f"hidden check {hidden}: {'passed' if case.passed else 'failed'}")
        else:
            public += 1
            lines.append(f"public check {public}: {'passed' if case.passed else 'failed'}")
            if not case.passed and case.message:
                lines.append(case.message)
    return "\n".join(lines)


def grade_submission(root: Path) -> dict:
    """Grade ``root/submission`` with the tests of ``root/source``; the results.json data."""
    source, results_dir = root / "source", root / "results"
    course = root / "course"
    if course.exists():
        shutil.rmtree(course)
    course.mkdir()
    shutil.copytree(
        source / "files" / "mlsys_lab",
        course / "mlsys_lab",
        ignore=shutil.ignore_patterns("__pycache__", "public_tests"),
    )
    (course / "grader").mkdir()
    here = Path(__file__).resolve().parent
    for name in ("runner.py", "answers.py"):  # the only grader code the student's process runs
        shutil.copyfile(here / name, course / "grader" / name)
    sys.path.insert(0, str(course))
    assignment = load_assignment(source)
    entries, _ = intake.discover(root / "submission", results_dir)
    notebooks = [e for e in entries if e.rel.lower().endswith(".ipynb")] or entries
    named = [e for e in notebooks if Path(e.rel).stem == assignment.name]
    entry = (named or notebooks or [None])[0]
    tests = {}
    diagnosed: dict = {}
    status, total = "", 0.0
    if entry is None:
        status = "Failed: no notebook (.ipynb) was submitted"
    else:
        intake.prepare(entry, assignment)
        entry.student = _student_id(root)
        mode = _choose_mode()
        if entry.failure is None:
            if mode == "user":
                _lock_down(root, course)
            grader = _Grader(
                mode,
                slot=0,
                mpl_cache=None,
                hide=(source, root / "submission", results_dir),
                runner_dir=course / "grader",
            )
            job = m.GradeJob(
                id="gradescope",
                cells=entry.cells,
                names=assignment.answer_names,
                assignment=assignment.name,
                zip=str(source),
                timeout=TIMEOUT,
                memory_mb=MEMORY_MB,
                student=entry.student,
            )
            entry.result = grader.grade(job)
            tests = entry.result.tests if entry.result.ok else {}
            _kill_uid(grader.sandbox.uid)
        extra = (report.NO_SANDBOX_NOTE,) if mode == "none" else ()
        if mode == "user" and os.environ.get("MLSYS_NO_NAMESPACES"):
            extra += ("run as an unprivileged user without namespaces",)
        _, total, status = report.row_of(entry, assignment, extra)
        diagnosed = misconceptions.diagnoses(entry, assignment)
    return {
        "score": round(total, 4),
        "output": status,
        "tests": [
            {
                "name": q,
                "score": round(tests[q].score, 4) if q in tests else 0.0,
                "max_score": assignment.points[q],
                "output": _feedback(q, tests.get(q), diagnosed.get(q)),
                "visibility": "visible",
            }
            for q in assignment.questions
        ],
    }


def main(root: str | None = None) -> int:
    from .pool import set_subreaper

    set_subreaper()
    root_path = Path(root or os.environ.get("MLSYS_AUTOGRADER_ROOT") or "/autograder")
    results = root_path / "results" / "results.json"
    try:
        data = grade_submission(root_path)
    except Exception as exc:  # noqa: BLE001 -- the student must still get a result
        data = {
            "score": 0.0,
            "output": f"Failed: the autograder could not run ({type(exc).__name__}: {exc})",
            "tests": [],
        }
    results.parent.mkdir(parents=True, exist_ok=True)
    tmp = results.with_name(".results.json.tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, results)
    return 0


RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# MLSys Lab autograder (see autograder/grading/gradescope.py): the submission runs sandboxed,
# only its answers (plain JSON) come out, and this process scores them with tests/.
ROOT="${MLSYS_AUTOGRADER_ROOT:-/autograder}"
PY="${MLSYS_AUTOGRADER_PYTHON:-}"
if [ -z "$PY" ]; then
    export PATH=/root/miniforge3/bin:$PATH
    eval "$(mamba shell hook --shell bash)"
    mamba activate otter-env
    PY=python
fi
exec "$PY" -I -c 'import sys; sys.path.insert(0, sys.argv[1]); from autograder.grading.gradescope import main; sys.exit(main(sys.argv[2]))' "$ROOT/source" "$ROOT"
"""
