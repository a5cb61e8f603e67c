"""A class report to look at: ``OUT/report.html`` from the grader's ``OUT/results.json``.

The page (one self-contained file: its figures are embedded) shows the score distribution; each question's
difficulty and discrimination; the distractor counts of each multiple-choice question; the
statuses (failed, timed out, cells skipped, memory cap); and the slowest submissions. It flags
the questions to rewrite: negative discrimination, or a distractor nobody picks. How the
numbers are computed is in :mod:`autograder.review.class_report.stats`.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from autograder.review.class_report import figures
from autograder.review.class_report.page import page_html
from autograder.review.class_report.stats import compute

ROOT = Path(__file__).resolve().parents[3]

__all__ = ["write_report", "choice_options"]


QUESTION_FENCE = re.compile(r"^```otter[ \t]*\n#\s*BEGIN QUESTION[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
PROMPT_END = re.compile(r"^```otter[ \t]*\n#\s*(BEGIN SOLUTION|BEGIN TESTS|END QUESTION)\b", re.M)
ITEM_FENCE = re.compile(r"^```item[ \t]*\n.*?^```[ \t]*$", re.S | re.M)
OPTION = re.compile(r"(?:^|\s)\**([A-H])[.)]\**\s")


def choice_options(master: Path) -> dict[str, list[str]]:
    """{question: ["A", "B", ...]} for every question whose prompt in ``master`` lists lettered
    options ("A. ...", "- **B.** ...", contiguous from A). Read from the master's text directly
    (the otter fences of ``solutions/README.md``), without jupytext: this runs on every report.
    Empty when the master cannot be read."""
    try:
        text = Path(master).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    options = {}
    for match in QUESTION_FENCE.finditer(text):
        name = re.search(r"^name:\s*(\S+)", match.group(1), re.M)
        if not name:
            continue
        end = PROMPT_END.search(text, match.end())
        prompt = text[match.end() : end.start() if end else len(text)]
        prompt = ITEM_FENCE.sub("", prompt)  # an item fence's misconceptions are no options
        letters = set(OPTION.findall(prompt))
        run = []
        for c in "ABCDEFGH":
            if c not in letters:
                break
            run.append(c)
        if len(run) >= 2:
            options[name.group(1)] = run
    return options


def _items(master: Path) -> dict:
    """The master's item fences (each distractor's misconception), none when it has none or
    cannot be read; an unreadable fence is said on stderr, not hidden."""
    from autograder.authoring.items import ItemError, parse_master

    if not master.is_file():
        return {}
    try:
        return parse_master(master)
    except ItemError as exc:
        import sys

        print(f"warning: misconceptions not counted: {exc}", file=sys.stderr)
        return {}


FIGURES = (
    ("score_distribution.png", figures.score_distribution),
    ("questions.png", figures.items),
    ("distractors.png", figures.distractors),
)


def write_report(out_dir, master=None) -> Path:
    """Read ``out_dir/results.json``; write ``out_dir/report.html``, one file that stands alone
    (its figures inside it as ``data:`` URIs, nothing loaded, nothing beside it) for an
    instructor to mail or upload; return its path. ``master`` (for the options of
    multiple-choice questions) defaults to ``solutions/<assignment>.md`` when it exists."""
    import tempfile

    out_dir = Path(out_dir)
    results = json.loads((out_dir / "results.json").read_text(encoding="utf-8"))
    master = Path(master) if master else ROOT / "solutions" / f"{results.get('assignment', '')}.md"
    options = choice_options(master) if master.is_file() else {}
    stats = compute(results, options, _items(master))
    target = out_dir / "report.html"
    with tempfile.TemporaryDirectory(prefix="mlsys-report-") as tmp:
        images = []
        for name, draw in FIGURES:
            alt = draw(stats, Path(tmp) / name)
            if alt:
                images.append((name, alt))
        text = page_html(stats, images, Path(tmp))
    tmp_file = target.with_name(".report.html.tmp")
    tmp_file.write_text(text, encoding="utf-8")
    os.replace(tmp_file, target)
    old = out_dir / "report"  # the PNGs earlier versions wrote beside the page
    for name, _ in FIGURES:
        (old / name).unlink(missing_ok=True)
    if old.is_dir() and not any(old.iterdir()):
        old.rmdir()
    return target


def main(argv=None) -> int:
    """``python -m autograder report --out OUT``: (re)build the report of a graded folder."""
    import argparse
    import sys

    from autograder.__main__ import program

    parser = argparse.ArgumentParser(
        prog=f"{program()} report", description="Write OUT/report.html from OUT/results.json."
    )
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument(
        "--master", type=Path, default=None, help="master for multiple-choice options (default solutions/NAME.md)"
    )
    args = parser.parse_args(argv)
    try:
        path = write_report(args.out, master=args.master)
    except FileNotFoundError as exc:
        print(f"error: {exc.filename} not found: grade the submissions first", file=sys.stderr)
        return 1
    except (ValueError, KeyError, TypeError) as exc:
        print(
            f"error: {args.out / 'results.json'} is not a results file ({type(exc).__name__}: {exc})", file=sys.stderr
        )
        return 1
    print(f"report: {path}")
    return 0
