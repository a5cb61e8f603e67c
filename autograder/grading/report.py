"""Report: what a batch leaves behind, all computed from stage 2's results.

* ``OUT/grades.csv`` in the layout of otter's ``final_grades.csv`` (one row per input file);
* ``OUT/feedback/<file>.md`` for each student (hidden checks as passed/failed only);
* ``OUT/results.json``: every row with its scores and its answers as plain data, for the class
  report and the written-answer tools;
* the progress bar (stderr) and the summary (stdout).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

from autograder.common import csv_cells

from . import messages as m
from . import misconceptions
from .intake import Entry
from .score import Assignment

NO_SANDBOX_NOTE = "NOT SANDBOXED (--no-sandbox): this grade is not protected against tampering"


def number(x: float) -> str:
    x = round(float(x), 4)
    return str(int(x)) if x.is_integer() else repr(x)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def row_of(
    entry: Entry, assignment: Assignment, extra_notes: tuple = (), for_student: bool = False
) -> tuple[dict, float, str]:
    """Scores per question, total and status of one input file. The student's version of the
    status leaves out whose numbers a copied answer fits."""
    scores = {q: 0.0 for q in assignment.questions}
    notes = list(entry.notes)
    result: m.GradeResult | None = entry.result
    if entry.failure:
        status = f"Failed: {entry.failure}"
    elif result is None or not result.ok:
        status = f"Failed: {result.reason if result else 'not graded'}"
        notes = (result.notes if result else []) + notes
    else:
        for q in assignment.questions:
            if q in result.tests:
                scores[q] = float(result.tests[q].score)
            else:
                notes.append(f"no result for {q}")
        notes = result.notes + notes
        status = "Completed"
    for question, other in [] if for_student else entry.copied:
        notes.append(f"{question}: the answer fits the numbers of {other}, not this student's")
    notes += [] if for_student else entry.private_notes  # they name other students' files
    notes += list(extra_notes)
    if notes:
        status += "; " + "; ".join(notes)
    return scores, sum(scores.values()), status


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True)


COPY_FLAG_MIN_DISTINCT = 10
"""A question is checked for copied numbers only when its right answers take at least this many
distinct values in the class: with fewer (a True/False, a pick among few, a count with a narrow
range), honest students share answers too often for a match to mean anything."""


def flag_copies(entries: list[Entry], assignment: Assignment) -> list[tuple[str, str, str]]:
    """For questions whose numbers vary per student: a submission that misses a question with
    exactly the answer another student got right (for that student's numbers) has used someone
    else's numbers. Marks each such entry and returns ``(file, question, other file)`` rows
    (for the instructor: the student's feedback never names the other file).
    Shuffled multiple-choice items are left out: with four letters, a wrong letter is somebody's
    key by chance alone; so is any question with fewer than :data:`COPY_FLAG_MIN_DISTINCT`
    distinct right answers in the class."""
    found = []
    graded = [e for e in entries if e.result is not None and e.result.ok and not e.failure]
    for question in (q for q in assignment.varied if q not in assignment.shuffled):
        names = assignment.answers.get(question, [])
        possible = assignment.points.get(question, 0)
        right: dict[str, list] = {}
        for entry in graded:
            score = entry.result.tests.get(question)
            values = [entry.result.answers.get(n) for n in names]
            if score is not None and score.score >= possible > 0 and all(v is not None for v in values):
                right.setdefault(_canonical(values), []).append(entry)
        if len(right) < COPY_FLAG_MIN_DISTINCT:
            continue
        for entry in graded:
            score = entry.result.tests.get(question)
            if score is None or score.score >= possible:
                continue
            values = [entry.result.answers.get(n) for n in names]
            others = [o for o in right.get(_canonical(values), []) if o.student != entry.student]
            if others:
                entry.copied.append((question, others[0].rel))
                found.append((entry.rel, question, others[0].rel))
    return found


def write_csv(path: Path, entries: list[Entry], assignment: Assignment, extra_notes: tuple = ()) -> None:
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer, lineterminator="\n")
    questions = assignment.questions
    writer.writerow(["file", *questions, "total_points_earned", "percent_correct", "grading_status"])
    writer.writerow(
        [
            "points-per-question",
            *(number(assignment.points[q]) for q in questions),
            number(assignment.possible),
            "1",
            "--",
        ]
    )
    for entry in entries:
        scores, total, status = row_of(entry, assignment, extra_notes)
        percent = round(total / assignment.possible, 4) if assignment.possible else 0
        writer.writerow([entry.rel, *(number(scores[q]) for q in questions), number(total), number(percent), status])
    write_atomic(path, buffer.getvalue().encode("utf-8"))


def master_letters(entry: Entry, assignment: Assignment) -> dict:
    """``{answer variable: the master's letter}`` of the shuffled multiple-choice answers of one
    submission: the letter the student gave, mapped back through their own option order (so a
    class report counts each option once, whatever letter each student saw it under)."""
    result = entry.result
    if not assignment.shuffled or result is None or not result.ok or entry.failure:
        return {}
    from mlsys_lab.course import variants

    variants.configure(assignment.secret, assignment.name, entry.student)
    mapped = {}
    for question, n in assignment.shuffled.items():
        for name in assignment.answers.get(question, []):
            given = result.answers.get(name)
            letter = variants.master_letter(question, given, n) if isinstance(given, str) else None
            if letter is not None:
                mapped[name] = letter
    variants.configure(None, None)
    return mapped


def write_results(
    path: Path, entries: list[Entry], assignment: Assignment, extra_notes: tuple = (), isolation: dict | None = None
) -> None:
    """Every row as data: scores, status and the answers given (plain values); ``isolation``:
    what the probe measured before this run's student code ran (None: nothing ran)."""
    rows = []
    for entry in entries:
        scores, total, status = row_of(entry, assignment, extra_notes)
        result = entry.result
        rows.append(
            {
                "file": entry.rel,
                "status": status,
                "failed": status.startswith("Failed"),
                "total": round(total, 4),
                "scores": {q: round(s, 4) for q, s in scores.items()},
                "answers": dict(result.answers) if result and result.ok and not entry.failure else {},
                "master_letters": master_letters(entry, assignment),
                "seconds": round(result.seconds, 3) if result else 0.0,
                "student": entry.student,
            }
        )
    copies = [{"file": e.rel, "question": q, "fits": other} for e in entries for q, other in e.copied]
    data = {
        "copies": copies,
        "assignment": assignment.name,
        "questions": {
            q: {"points": assignment.points[q], "answers": assignment.answers.get(q, [])} for q in assignment.questions
        },
        "question_order": assignment.questions,  # the notebook's order ("questions" is keyed, so sorted)
        "rows": rows,
        "isolation": isolation,
    }
    write_atomic(path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


def _known_errors() -> frozenset:
    import builtins

    import pint.errors

    from mlsys_lab import errors

    names = set()
    for module in (builtins, pint.errors, errors):
        names |= {n for n, v in vars(module).items() if isinstance(v, type) and issubclass(v, BaseException)}
    return frozenset(names)


def error_name(name) -> str:
    """A cell error's exception name as shown to the student. The name comes from the student's
    process (over fd 3), so it could be any text: only a name of Python's, pint's or the course's
    own exceptions is shown, anything else is "an error"."""
    return name if type(name) is str and name in _known_errors() else "an error"


def feedback_text(entry: Entry, assignment: Assignment, extra_notes: tuple = ()) -> str:
    """The student's feedback: scores, public checks' messages, hidden checks as pass/fail only."""
    scores, total, status = row_of(entry, assignment, extra_notes, for_student=True)
    lines = [
        f"# Feedback: {entry.rel}",
        "",
        f"- Assignment: {assignment.name}",
        f"- Score: {number(total)} / {number(assignment.possible)}",
        f"- Status: {status}",
        "",
    ]
    result = entry.result if entry.result is not None and entry.result.ok and not entry.failure else None
    if result is None:
        lines += ["This submission could not be graded, so every question scores 0. Reason above.", ""]
    diagnosed = misconceptions.diagnoses(entry, assignment)  # a chosen distractor's misconception
    for q in assignment.questions:
        lines.append(f"## {q}: {number(scores[q])} / {number(assignment.points[q])}")
        lines.append("")
        question = result.tests.get(q) if result else None
        cases = question.cases if question else []
        if not cases:
            lines.append("- not graded")
        if question and question.note:
            lines.append(f"- {question.note}")
        if q in diagnosed:
            lines.append(f"- {diagnosed[q]}")
        if any(q == copied for copied, _ in entry.copied):
            lines.append("- your answer matches another student's numbers, not your own: redo it with yours")
        counts = {True: 0, False: 0}
        for case in cases:
            mark = "passed" if case.passed else "failed"
            counts[case.hidden] += 1
            if case.hidden:
                lines.append(f"- hidden check {counts[True]}: {mark}")
            else:
                lines.append(f"- public check {counts[False]}: {mark}")
                if not case.passed and case.message:
                    lines += ["", *("    " + line for line in case.message.splitlines()), ""]
        lines.append("")
    errors = result.cell_errors if result else []
    if errors:
        shown = ", ".join(f"cell {int(n)} ({error_name(name)})" for n, name in errors[:10])
        lines += [f"Cells that raised an error when your notebook was run: {shown}.", ""]
    lines += ["Written (manually graded) questions are marked separately and are not included here.", ""]
    return "\n".join(lines)


def write_feedback(out_dir: Path, entries: list[Entry], assignment: Assignment, extra_notes: tuple = ()) -> None:
    for entry in entries:
        write_atomic(
            out_dir / "feedback" / f"{entry.rel}.md", feedback_text(entry, assignment, extra_notes).encode("utf-8")
        )


def duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    """The progress bar on stderr (tqdm): done, failed so far, rate and time left. When stderr
    is not a terminal (a log file, CI) it is redrawn about once per 10 % of the batch."""

    def __init__(self, total: int, stream=None):
        from tqdm import tqdm

        stream = stream or sys.stderr
        tty = hasattr(stream, "isatty") and stream.isatty()
        self.bar = tqdm(
            total=total,
            file=stream,
            desc="grading",
            unit=" files",
            ascii=not tty,
            dynamic_ncols=tty,
            mininterval=0.2 if tty else 0.0,
            miniters=1 if tty else max(1, total // 10),
            bar_format="{desc}: {percentage:3.0f}%|{bar:30}| {n_fmt}/{total_fmt} {postfix} [{elapsed}<{remaining}]",
        )

    def update(self, done: int, failed: int, force: bool = False) -> None:
        self.bar.set_postfix_str(f"failed {failed}", refresh=False)
        self.bar.update(max(0, done - self.bar.n))
        if force:
            self.bar.refresh()

    def close(self) -> None:
        self.bar.close()


def format_summary(summary: dict) -> str:
    rate = summary["jobs"] / summary["seconds"] * 60 if summary["jobs"] and summary["seconds"] else 0
    lines = []
    isolation = summary.get("isolation") or {}
    if isolation and not isolation.get("isolated"):
        lines.append(f"WARNING: {isolation.get('short')}. Every row's status says so.")
    lines.append(
        f"{summary['files']} submission file(s) in {duration(summary['seconds'])}: "
        f"{summary['graded']} graded now ({summary['jobs']} distinct notebooks, {summary['workers']} workers"
        + (f", {rate:.1f} per minute" if rate else "")
        + f"), {summary['from_cache']} from the cache of an earlier run, "
        f"{len(summary['failed'])} could not be graded."
    )
    lines.append(
        f"  sandbox: {summary.get('sandbox')}: " + (isolation.get("short") or "nothing run (all from the cache)")
    )
    if summary.get("numbers"):  # whose numbers the per-student questions were graded on
        lines.append(f"  numbers: {summary['numbers']}")
    for rel, why in summary["failed"][:30]:
        lines.append(f"  failed: {rel}: {why}")
    if len(summary["failed"]) > 30:
        lines.append(f"  ... and {len(summary['failed']) - 30} more (see grading_status in the CSV)")
    timed_out = sum(1 for _, why in summary["failed"] if why.startswith("timed out"))
    if timed_out:
        lines.append(f"  {timed_out} timed out: a run with a longer --timeout regrades only those")
    if summary["passed_over"]:
        shown = ", ".join(summary["passed_over"][:5]) + (" ..." if len(summary["passed_over"]) > 5 else "")
        lines.append(f"  not submissions (hidden, or not .ipynb/.zip): {len(summary['passed_over'])}: {shown}")
    if summary["worker_restarts"]:
        lines.append(f"  grader workers restarted: {summary['worker_restarts']}")
    if summary.get("retried"):
        lines.append(f"  retried on the cluster (a worker lost under them): {summary['retried']} job(s)")
    if summary["peak_rss_mib"]:
        lines.append(f"  peak memory of one grading process: {summary['peak_rss_mib']:.0f} MiB")
    lines.append(f"grades: {summary['csv']}")
    for key, label in (("report", "class report"), ("written", "written answers")):
        if summary.get(key):
            lines.append(f"{label}: {summary[key]}")
    return "\n".join(lines)
