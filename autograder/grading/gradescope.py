"""The Gradescope entry point: the same two stages behind the autograder zip's ``run_autograder``.

Gradescope unpacks the zip into ``/autograder/source``, puts the student's files in
``/autograder/submission`` and reads ``/autograder/results/results.json``. Here:

1. the notebook is read and checked as in a local batch (:mod:`~autograder.grading.intake`);
2. stage 1 runs it in bubblewrap where the platform's container allows user namespaces, and
   otherwise as an unprivileged uid in namespaces of its own (:mod:`~autograder.grading.sandbox`,
   ``user`` mode): the tests, the submission folder and the results folder are not in its file
   system and are unreadable to that uid besides, and the course package it imports is a copy
   outside them. What the sandbox gives is measured first (:mod:`~autograder.grading.isolation`);
   without isolation no student code runs, unless the instructor opted in with
   ``MLSYS_UNSAFE_NO_ISOLATION=1`` (in ``run_autograder``'s environment) or a file
   ``UNSAFE_NO_ISOLATION`` in the zip, and then the student's output says so;
3. stage 2 scores the answers file in this process, which never imported student code, with
   the tests from ``source/tests`` (the same files as in the zip);
4. ``results.json`` gets one test per question: score, maximum and the student's feedback.

``MLSYS_AUTOGRADER_ROOT`` replaces ``/autograder`` (the tests lay out a root of their own),
``MLSYS_SANDBOX`` forces ``bwrap``, ``user`` or ``none`` (``none`` only with the opt-in).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

from . import identity, intake, misconceptions, report
from . import messages as m
from .isolation import UNSAFE_ENV, choose_mode, isolation_for, restore_modes
from .pool import _Grader
from .sandbox import SandboxUnavailable
from .score import load_assignment

TIMEOUT = 600
MEMORY_MB = 4096


def _unsafe(source: Path) -> bool:
    """The instructor's explicit opt-in to grade without isolation: ``MLSYS_UNSAFE_NO_ISOLATION=1``
    or a file ``UNSAFE_NO_ISOLATION`` in the zip. Nothing a student submits can set either."""
    return os.environ.get(UNSAFE_ENV) == "1" or (source / "UNSAFE_NO_ISOLATION").is_file()


def _choose_mode(unsafe: bool = False) -> str:
    """``MLSYS_SANDBOX`` if set, else bubblewrap, else the unprivileged-user sandbox (the grader
    is root on Gradescope); :class:`SandboxUnavailable` when none can run."""
    return choose_mode(os.environ.get("MLSYS_SANDBOX") or None, unsafe)


def _lock_down(root: Path, course: Path) -> list[tuple[Path, int]]:
    """User mode: nothing the stranger uid could use to cheat is readable by it (its own file
    system holds none of it anyway, where namespaces exist). Returns the modes changed, for
    :func:`~autograder.grading.isolation.restore_modes`; nothing outside ``root`` is touched (Python is reached through the
    sandbox's own root, or, unsafe and without namespaces, opened and restored by the caller)."""
    changed = []

    def chmod(path: Path, mode: int) -> None:
        changed.append((path, stat.S_IMODE(os.stat(path).st_mode)))
        os.chmod(path, mode)

    for path in (root / "source", root / "submission", root / "results"):
        if path.exists():
            chmod(path, 0o700)
    metadata = root / "submission_metadata.json"
    if metadata.exists():
        chmod(metadata, 0o600)
    for path in [course, *course.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)  # our own copy, made for this run
    return changed


def _identify(entry: intake.Entry, root: Path, source: Path, assignment) -> None:
    """Whose numbers: the submitter in Gradescope's metadata (SID, else e-mail, normalised), mapped
    through the roster the zip was sealed with; never anything typed in the notebook. Without a
    code, the varied questions will score 0 with the reason (:mod:`.identity`)."""
    try:
        metadata = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        metadata = None
    try:
        roster = identity.sealed(source, identity.ROSTER_MEMBER)
        found = identity.gradescope_identity(metadata, roster, assignment.secret)
    except identity.RosterError as exc:
        found = identity.Identity(
            missing=f"the roster shipped with this autograder cannot be read ({exc}); tell your instructor"
        )
    entry.student, entry.code = found.student, found.code
    if assignment.varied and found.missing:
        entry.missing = found.missing
        entry.notes.append(identity.varied_note(assignment.varied, found.missing))


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
    isolation = None  # what the probe measured (None: no student code ran)
    diagnosed: dict = {}
    status, total = "", 0.0
    if entry is None:
        status = "Failed: no notebook (.ipynb) was submitted"
    else:
        intake.prepare(entry, assignment)
        _identify(entry, root, source, assignment)
        if entry.failure is None:
            job = m.GradeJob(
                id="gradescope",
                cells=entry.cells,
                names=assignment.answer_names,
                assignment=assignment.name,
                zip=str(source),
                timeout=TIMEOUT,
                memory_mb=MEMORY_MB,
                student=entry.student,
                code=entry.code,
                missing=entry.missing,
            )
            entry.result, isolation = _run_isolated(root, course, job)
            tests = entry.result.tests if entry.result.ok else {}
        _, total, status = report.row_of(entry, assignment, (), for_student=True)
        diagnosed = misconceptions.diagnoses(entry, assignment)
    return {
        "score": round(total, 4),
        "output": status,
        "extra_data": {"isolation": isolation},
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


def _run_isolated(root: Path, course: Path, job: m.GradeJob) -> tuple[m.GradeResult, dict | None]:
    """Both stages for the submission, in a sandbox whose isolation is measured first: without
    it (and without the instructor's opt-in) no student code runs and the result says why. The
    result's notes end with the isolation found; permissions changed on the way are restored."""
    source = root / "source"
    unsafe = _unsafe(source)
    changed = []
    try:
        mode = _choose_mode(unsafe)
        if mode == "user":
            changed = _lock_down(root, course)
        grader = _Grader(
            mode,
            slot=0,
            mpl_cache=None,
            hide=(source, root / "submission", root / "results"),
            runner_dir=course / "grader",
            unsafe=unsafe,
            warm=False,  # one submission per container: a zygote would be paid for one run (grading/warm.py)
        )
        with isolation_for(grader.sandbox) as found:
            result = grader.grade(job)
            _kill_uid(grader.sandbox.uid)
    except SandboxUnavailable as exc:
        return m.GradeResult(ok=False, reason=str(exc)), None
    finally:
        restore_modes(changed)
    result.notes = [*result.notes, found.short()]
    return result, found.to_dict()


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
