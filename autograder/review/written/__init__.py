"""Written ("explain") answers: grading sheets out, scores back in.

``export_sheets`` reads every submission, pulls out the answers of the master's ``manual: true``
questions and writes, under ``OUT/written/``:

* ``<question>.html``: one grading page per question (question, rubric, every answer under an
  anonymous code, a score field; similar answers side by side), usable offline;
* ``written_answers.csv``: the same answers as a table (``question, code, points, answer,
  similar_to, score, comment``), for graders who prefer a spreadsheet;
* ``codes.json``: which code is which file. Keep it to yourself: it undoes the anonymity.

``import_scores`` (``python -m autograder import-scores``) reads the filled-in scores back,
validates all of them before writing anything, and writes ``OUT/final_grades.csv``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import secrets
from pathlib import Path

from autograder.common import csv_cells
from autograder.review.written.answers import written_answers
from autograder.review.written.master import (
    MasterError,
    WrittenQuestion,
    written_questions,
    zip_written_questions,
)
from autograder.review.written.scores import ScoreFileError, import_scores
from autograder.review.written.sheets import sheet_html
from autograder.review.written.similarity import groups as similar_groups
from autograder.review.written.similarity import similar_pairs

try:  # the grader is moving into autograder.grading; the old module has the same names
    from autograder.grading.intake import discover, notebook_bytes
except ImportError:  # pragma: no cover - depends on which grader is in the tree
    from autograder.grade import discover, notebook_bytes

__all__ = [
    "export_sheets",
    "import_scores",
    "written_questions",
    "written_answers",
    "MasterError",
    "ScoreFileError",
    "WrittenQuestion",
]

ROOT = Path(__file__).resolve().parents[3]
SOLUTIONS = ROOT / "solutions"
DIST = ROOT / "autograder" / "dist"
WRITTEN = "written"
CODES_FILE = "codes.json"
KEY_FILE = ".code_key"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _code_key(folder: Path) -> bytes:
    """A random key kept in ``OUT/written/``: codes stay the same from run to run of one
    output folder, but cannot be recomputed from a file name without it."""
    path = folder / KEY_FILE
    if not path.is_file():
        _write_atomic(path, secrets.token_hex(16).encode())
    return path.read_bytes().strip()


def anonymous_code(key: bytes, question: str, rel: str) -> str:
    """``W-`` and six letters/digits, different for each question of one submission, so a
    grader carries no impression of a student from one page to the next."""
    digest = hmac.new(key, f"{question}\0{rel}".encode(), hashlib.sha256).digest()
    return "W-" + base64.b32encode(digest).decode()[:6]


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


class SheetSummary(dict):
    """What ``export_sheets`` did, as a dict; ``str()`` is the one line the grader prints."""

    def __str__(self) -> str:
        if not self["questions"]:
            return "none (no written questions in this assignment)"
        groups = sum(len(g) for g in self["groups"].values())
        return (
            f"{self['folder']}/ ({len(self['questions'])} question page(s) and written_answers.csv; "
            f"{groups} group(s) of similar answers)"
        )


def questions_of(assignment: str, master=None, autograder=None) -> list[WrittenQuestion]:
    """The written questions, from the master when given, else from the autograder zip (which
    carries them), else, in a checkout of the course, from ``solutions/<assignment>.md`` or
    ``autograder/dist/<assignment>.zip``. An installed tool has neither: it is told what to pass."""
    if master:
        return written_questions(Path(master))
    checkout_master = SOLUTIONS / f"{assignment}.md"
    if autograder:
        questions = zip_written_questions(Path(autograder))
        if questions is not None:
            return questions
        if checkout_master.is_file():  # a zip built before it carried them; the master is here
            return written_questions(checkout_master)
        raise MasterError(
            f"{autograder} carries no written questions (built before `assign` added them): "
            "rebuild it with assign, or pass --master NN_topic.md"
        )
    if checkout_master.is_file():
        return written_questions(checkout_master)
    if (DIST / f"{assignment}.zip").is_file():
        return questions_of(assignment, autograder=DIST / f"{assignment}.zip")
    raise MasterError(
        f"no master or autograder for {assignment}: pass --autograder PATH/{assignment}.zip "
        "(the zip carries the written questions) or --master NN_topic.md"
    )


def export_sheets(assignment: str, submissions_dir, out_dir, master=None, autograder=None) -> dict:
    """Write the grading sheets of ``assignment``'s written questions for every submission
    under ``submissions_dir`` into ``out_dir/written/``. The questions come from ``master`` or
    the ``autograder`` zip (:func:`questions_of`). Returns a summary (questions, submissions,
    blank answers, similar groups, paths)."""
    submissions_dir, out_dir = Path(submissions_dir), Path(out_dir)
    questions = questions_of(assignment, master, autograder)
    folder = out_dir / WRITTEN
    summary = SheetSummary(
        questions=[q.name for q in questions], submissions=0, blank={}, groups={}, folder=str(folder)
    )
    if not questions:
        return summary
    if not submissions_dir.is_dir():
        raise FileNotFoundError(f"{submissions_dir} is not a folder")
    entries, _ = discover(submissions_dir, out_dir)
    summary["submissions"] = len(entries)
    found: dict[str, dict[str, str]] = {}
    notes: dict[str, str] = {}
    for entry in entries:
        try:
            data = notebook_bytes(entry)
            nb = json.loads(data.decode("utf-8-sig"))
            declared = (
                (nb.get("metadata") or {}).get("otter", {}).get("assignment_name") if isinstance(nb, dict) else None
            )
            if declared not in (None, assignment):
                raise ValueError(f"wrong assignment: the notebook is for {str(declared)[:80]!r}")
            found[entry.rel] = written_answers(nb, questions)
        except (ValueError, AttributeError, UnicodeDecodeError, RecursionError) as exc:
            found[entry.rel] = {}
            notes[entry.rel] = f"could not read the submission: {exc}"

    key = _code_key(folder)
    codes: dict[str, dict] = {}
    table = io.StringIO()
    writer = csv_cells.writer(table, lineterminator="\n")
    writer.writerow(["question", "code", "points", "answer", "similar_to", "score", "comment"])
    for question in questions:
        answers, code_of = [], {}
        for entry in entries:
            code = anonymous_code(key, question.name, entry.rel)
            if code in code_of.values():
                raise RuntimeError(f"two submissions share the code {code}: delete {folder / KEY_FILE} and rerun")
            code_of[entry.rel] = code
            text = found[entry.rel].get(question.name)
            note = notes.get(entry.rel) or (
                "" if text is not None else "no answer cell for this question in the notebook"
            )
            answers.append({"code": code, "text": text or "", "note": note, "similar": [], "file": entry.rel})
        answers.sort(key=lambda a: a["code"])
        pairs = similar_pairs({a["code"]: a["text"] for a in answers})
        by_code = {a["code"]: a for a in answers}
        for a_code, b_code, score in pairs:
            by_code[a_code]["similar"].append((b_code, score))
            by_code[b_code]["similar"].append((a_code, score))
        for a in answers:
            a["similar"].sort(key=lambda cs: (-cs[1], cs[0]))
            a["score"] = "0" if not a["text"] else ""
        groups = similar_groups(pairs)
        sheet_id = f"{assignment}/{question.name}/{hashlib.sha256(key).hexdigest()[:8]}"
        _write_atomic(
            folder / f"{question.name}.html",
            sheet_html(assignment, question, answers, groups, sheet_id).encode("utf-8"),
        )
        for a in answers:
            similar = " ".join(c for c, _ in a["similar"])
            writer.writerow([question.name, a["code"], _number(question.points), a["text"], similar, a["score"], ""])
        codes[question.name] = {"points": question.points, "codes": {a["code"]: a["file"] for a in answers}}
        summary["blank"][question.name] = sum(1 for a in answers if not a["text"])
        summary["groups"][question.name] = groups
    _write_atomic(folder / "written_answers.csv", table.getvalue().encode("utf-8"))
    _write_atomic(
        folder / CODES_FILE,
        json.dumps(
            {"assignment": assignment, "order": [q.name for q in questions], "questions": codes},
            indent=1,
            sort_keys=True,
        ).encode("utf-8"),
    )
    return summary


def format_summary(summary: dict) -> str:
    if not summary["questions"]:
        return "this assignment has no written questions: nothing to export"
    lines = [
        f"{len(summary['questions'])} written question(s), {summary['submissions']} submission(s): sheets in {summary['folder']}/"
    ]
    for q in summary["questions"]:
        groups = summary["groups"][q]
        lines.append(
            f"  {q}.html: {summary['blank'][q]} blank, "
            + (
                f"{len(groups)} group(s) of similar answers ({sum(len(g) for g in groups)} answers)"
                if groups
                else "no similar answers"
            )
        )
    from autograder.__main__ import program

    lines.append(f"fill in the scores, then: {program()} import-scores --out OUT --scores scores_q*.csv")
    return "\n".join(lines)


def main(argv=None) -> int:
    """``python -m autograder written``: export the grading sheets."""
    import argparse
    import sys

    from autograder.__main__ import program

    parser = argparse.ArgumentParser(
        prog=f"{program()} written", description="Export written answers to grading sheets."
    )
    parser.add_argument("--assignment", required=True)
    parser.add_argument("--submissions", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument(
        "--autograder",
        type=Path,
        default=None,
        help="the autograder zip, which carries the written questions (default in a checkout: the master)",
    )
    parser.add_argument("--master", type=Path, default=None, help="the master (default solutions/NAME.md)")
    args = parser.parse_args(argv)
    try:
        summary = export_sheets(
            args.assignment, args.submissions, args.out, master=args.master, autograder=args.autograder
        )
    except (MasterError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_summary(summary))
    return 0
