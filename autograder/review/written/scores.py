"""Read filled-in written scores back and merge them with the autograded ones.

A score file is CSV with a header naming at least ``question``, ``code`` and ``score`` (other
columns, such as ``comment`` or the ones of ``written_answers.csv``, are ignored): the file the
grading page downloads, or ``written_answers.csv`` filled in. A blank score means "not scored
yet". Every file is checked in full before anything is written: a known question, a code that
belongs to that question, a number from 0 to the question's points, no (question, code) scored
twice across all files. Any problem stops the import with a message naming the file, line and
column, and ``final_grades.csv`` is left as it was.

Imports add up: every accepted score is kept in ``OUT/written/scores.json``, so importing one
question's file after another's keeps both, and re-importing a question's file replaces the scores
it gives (a blank cell never erases a score imported before). The summary names every answer that
is still unscored (question, code and file), and ``export`` refuses to write while one is.

``OUT/final_grades.csv`` keeps the layout of ``grades.csv`` (otter's ``final_grades.csv``) with
the written questions as columns of their own after the autograded ones, then
``autograded_points``, ``written_points``, ``total_points_earned``, ``percent_correct`` (of all
points, written included) and ``grading_status`` (notes which written answers are unscored).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

from autograder.common import csv_cells

REQUIRED = ("question", "code", "score")
MAX_ERRORS = 30


class ScoreFileError(ValueError):
    """A score file (or the output folder) is not usable; nothing was merged."""


def _number(x: float) -> str:
    x = round(float(x), 4)
    return str(int(x)) if x.is_integer() else repr(x)


def load_codes(out_dir: Path) -> dict:
    path = Path(out_dir) / "written" / "codes.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        questions = data["questions"]
        order = [q for q in data.get("order", []) if q in questions]  # the master's order
        return {q: questions[q] for q in order + [q for q in questions if q not in order]}
    except FileNotFoundError:
        from autograder.__main__ import program

        raise ScoreFileError(f"no {path}: export the written answers first ({program()} written ...)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ScoreFileError(f"{path} is damaged ({type(exc).__name__}): export the written answers again") from exc


def read_score_files(paths: list[Path], codes: dict) -> dict[tuple[str, str], float]:
    """Validated scores, {(question, code): score}. Raises ScoreFileError listing every problem."""
    errors: list[str] = []
    scores: dict[tuple[str, str], float] = {}
    where: dict[tuple[str, str], str] = {}
    for path in map(Path, paths):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            errors.append(f"{path}: cannot read the file ({exc.strerror})")
            continue
        except UnicodeDecodeError as exc:
            errors.append(f"{path}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8")
            continue
        if "\0" in text:
            errors.append(f"{path}: not a CSV file (it holds NUL bytes)")
            continue
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            errors.append(f"{path}, line 1: malformed CSV ({exc})")
            continue
        if not header:
            errors.append(f"{path}: empty file (expected a header: question,code,score)")
            continue
        names = [h.strip().lower() for h in header]
        missing = [r for r in REQUIRED if r not in names]
        if missing:
            errors.append(f"{path}, line 1: no column named {', '.join(missing)} (the header is: {','.join(header)})")
            continue
        doubled = sorted({n for n in names if n and names.count(n) > 1})
        if doubled:
            errors.append(f"{path}, line 1: column {', '.join(doubled)} appears twice")
            continue
        col = {r: names.index(r) for r in REQUIRED}
        line = reader.line_num
        while True:
            start = line + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                errors.append(f"{path}, line {start}: malformed CSV ({exc})")
                break
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                errors.append(f"{path}, line {start}: {len(row)} fields, but the header has {len(header)}")
                continue

            def at(name: str, path=path, start=start, col=col) -> str:
                return f"{path}, line {start}, column {col[name] + 1} ({name})"

            question, code, raw = (row[col[r]].strip() for r in REQUIRED)
            if question not in codes:
                errors.append(
                    f"{at('question')}: unknown question {question!r} (written questions: {', '.join(codes)})"
                )
                continue
            if code not in codes[question]["codes"]:
                errors.append(f"{at('code')}: unknown code {code!r} for {question}")
                continue
            if not raw:
                continue  # not scored yet
            try:
                value = float(raw)
            except ValueError:
                errors.append(f"{at('score')}: {raw!r} is not a number")
                continue
            points = float(codes[question]["points"])
            if not math.isfinite(value) or not 0 <= value <= points:
                errors.append(f"{at('score')}: {raw} is outside 0 to {_number(points)}, the points of {question}")
                continue
            if (question, code) in scores:
                errors.append(
                    f"{path}, line {start}: {question} {code} is scored twice (first in {where[(question, code)]})"
                )
                continue
            scores[(question, code)] = value
            where[(question, code)] = f"{path} line {start}"
    if errors:
        shown = errors[:MAX_ERRORS] + ([f"... and {len(errors) - MAX_ERRORS} more"] if len(errors) > MAX_ERRORS else [])
        raise ScoreFileError("nothing was merged; fix these and run again:\n  " + "\n  ".join(shown))
    return scores


def read_grades(path: Path) -> tuple[list[str], list[str], list[list[str]]]:
    """(header, points row, data rows) of a grades.csv in otter's layout."""
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    except FileNotFoundError:
        raise ScoreFileError(f"no {path}: grade the submissions first") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ScoreFileError(f"{path} is not a readable CSV ({exc})") from exc
    if len(rows) < 2 or rows[0][:1] != ["file"] or rows[1][:1] != ["points-per-question"]:
        raise ScoreFileError(f"{path} is not in the grader's layout (file, questions..., points-per-question row)")
    tail = ["total_points_earned", "percent_correct", "grading_status"]
    if rows[0][-3:] != tail:
        raise ScoreFileError(f"{path}: expected the last columns to be {', '.join(tail)}")
    return rows[0], rows[1], [[csv_cells.read_cell(c) for c in row] for row in rows[2:]]  # as the grader wrote them


def merge(grades: Path, codes: dict, scores: dict) -> tuple[str, dict]:
    """The text of final_grades.csv, and counts for the summary."""
    header, points_row, rows = read_grades(grades)
    auto = header[1:-3]
    written = list(codes)
    clash = sorted(set(auto) & set(written))
    if clash:
        raise ScoreFileError(f"{grades}: {', '.join(clash)} is both autograded and written")
    auto_points = [float(p) for p in points_row[1 : 1 + len(auto)]]
    written_points = [float(codes[q]["points"]) for q in written]
    possible = sum(auto_points) + sum(written_points)
    code_of = {q: {f: c for c, f in codes[q]["codes"].items()} for q in written}
    out = io.StringIO()
    writer = csv_cells.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "file",
            *auto,
            *written,
            "autograded_points",
            "written_points",
            "total_points_earned",
            "percent_correct",
            "grading_status",
        ]
    )
    writer.writerow(
        [
            "points-per-question",
            *map(_number, auto_points),
            *map(_number, written_points),
            _number(sum(auto_points)),
            _number(sum(written_points)),
            _number(possible),
            "1",
            "--",
        ]
    )
    counts = {"rows": 0, "unscored": 0, "scored": 0}
    for row in rows:
        if len(row) != len(header):
            raise ScoreFileError(f"{grades}: a row has {len(row)} fields, the header {len(header)}")
        file, status = row[0], row[-1]
        auto_scores = [float(x or 0) for x in row[1 : 1 + len(auto)]]
        cells, missing, written_total = [], [], 0.0
        for q in written:
            code = code_of[q].get(file)
            value = scores.get((q, code)) if code else None
            if value is None:
                cells.append("")
                missing.append(q)
            else:
                cells.append(_number(value))
                written_total += value
        if missing:
            status += ("; " if status else "") + "written not scored: " + ", ".join(missing)
        counts["rows"] += 1
        counts["unscored"] += len(missing)
        counts["scored"] += len(written) - len(missing)
        total = sum(auto_scores) + written_total
        percent = round(total / possible, 4) if possible else 0
        writer.writerow(
            [
                file,
                *row[1 : 1 + len(auto)],
                *cells,
                _number(sum(auto_scores)),
                _number(written_total),
                _number(total),
                _number(percent),
                status,
            ]
        )
    return out.getvalue(), counts


STORE = "scores.json"
"""Every score imported so far, ``{"scores": {question: {code: score}}}``, under ``OUT/written/``."""


def load_stored(out_dir: Path) -> dict[tuple[str, str], float]:
    """The scores of earlier imports into this output folder (none before the first)."""
    path = Path(out_dir) / "written" / STORE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["scores"]
        return {(q, c): float(v) for q, by_code in data.items() for c, v in by_code.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ScoreFileError(
            f"{path} (the scores imported so far) is damaged ({type(exc).__name__}): "
            "restore it, or delete it and import every score file again"
        ) from exc


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def combine(stored: dict, new: dict, codes: dict) -> tuple[dict, int]:
    """Earlier scores with this import's laid over them (per question and code), keeping only
    codes the current ``codes.json`` knows; and how many earlier scores this import changed."""
    known = {(q, c) for q in codes for c in codes[q]["codes"]}
    changed = sum(1 for key, value in new.items() if key in stored and stored[key] != value)
    combined = {k: v for k, v in stored.items() if k in known}
    combined.update(new)
    return combined, changed


def unscored(codes: dict, scores: dict) -> list[tuple[str, str, str]]:
    """``(question, code, file)`` of every written answer without a score, in question order."""
    return [(q, c, f) for q in codes for c, f in sorted(codes[q]["codes"].items()) if (q, c) not in scores]


def import_scores(out_dir, score_files: list) -> dict:
    """Validate ``score_files`` against ``out_dir/written/codes.json``, add them to the scores
    imported before and write ``out_dir/final_grades.csv``; raises ScoreFileError (and writes
    nothing) on any problem."""
    out_dir = Path(out_dir)
    if not score_files:
        raise ScoreFileError("no score files given")
    codes = load_codes(out_dir)
    new = read_score_files(list(score_files), codes)
    scores, changed = combine(load_stored(out_dir), new, codes)
    text, counts = merge(out_dir / "grades.csv", codes, scores)
    path = out_dir / "final_grades.csv"
    _write_text(path, text)
    store: dict[str, dict[str, float]] = {}
    for (q, c), value in sorted(scores.items()):
        store.setdefault(q, {})[c] = value
    _write_text(out_dir / "written" / STORE, json.dumps({"scores": store}, indent=1, sort_keys=True))
    known = {(q, c) for q in codes for c in codes[q]["codes"]}
    return {
        **counts,
        "scores_read": len(new),
        "changed": changed,
        "scores_kept": len(scores) - len(new.keys() & scores.keys()),
        "missing": unscored(codes, scores),
        "answers": len(known),
        "csv": str(path),
    }


def format_summary(summary: dict, shown: int = 30) -> str:
    """What the import did, naming every answer still unscored (by question, code and file)."""
    lines = [
        f"{summary['scores_read']} written score(s) read"
        + (f" ({summary['changed']} replacing an earlier import)" if summary["changed"] else "")
        + (f"; {summary['scores_kept']} kept from earlier imports" if summary["scores_kept"] else "")
        + f"; {summary['rows']} submissions."
    ]
    missing = summary["missing"]
    if missing:
        lines.append(f"{len(missing)} written answer(s) still unscored (export refuses until they are):")
        lines += [f"  {q} {c} ({f})" for q, c, f in missing[:shown]]
        if len(missing) > shown:
            lines.append(f"  ... and {len(missing) - shown} more (grading_status in final_grades.csv)")
    else:
        lines.append("every written answer has a score.")
    lines.append(f"final grades: {summary['csv']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    """``python -m autograder import-scores --out OUT --scores FILE.csv [FILE.csv ...]``"""
    import argparse
    import sys

    from autograder.__main__ import program

    parser = argparse.ArgumentParser(
        prog=f"{program()} import-scores",
        description="Merge filled-in written scores with the autograded grades into OUT/final_grades.csv.",
    )
    parser.add_argument("--out", required=True, type=Path, help="the grading output folder (grades.csv, written/)")
    parser.add_argument("--scores", required=True, type=Path, nargs="+", action="extend", help="score CSV files")
    args = parser.parse_args(argv)
    try:
        summary = import_scores(args.out, args.scores)
    except ScoreFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_summary(summary))
    return 0
