"""Issue 23, natural order: every table the tools write lists the questions as the notebook asks
them (the order the autograder zip records), not in text order (q1, q10, q3)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat

from autograder.authoring.assign import question_order
from autograder.grading import intake, report
from autograder.grading.score import Assignment, natural_key
from autograder.review.class_report.stats import compute
from autograder.review.written.scores import load_codes

NOTEBOOK_ORDER = ["q3", "budget", "q10", "q1"]


def assignment(order=tuple(NOTEBOOK_ORDER)) -> Assignment:
    points = {q: 1.0 for q in sorted(NOTEBOOK_ORDER)}
    return Assignment("98_order", Path("a.zip"), "0", points, {q: [f"{q}_answer"] for q in points}, order=order)


def test_the_order_is_read_from_the_notebooks_checks():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell('grader.check("nope")')] + [
        nbformat.v4.new_code_cell(f'x = 1\ngrader.check("{q}")') for q in [*NOTEBOOK_ORDER, "q3"]
    ]
    assert question_order(nb) == NOTEBOOK_ORDER


def test_questions_follow_the_notebook_then_natural_order():
    assert assignment().questions == NOTEBOOK_ORDER
    assert assignment(order=()).questions == ["budget", "q1", "q3", "q10"]  # an older zip: q3 before q10
    assert assignment(order=("q10",)).questions == ["q10", "budget", "q1", "q3"]
    assert sorted(["q10", "q2", "q1b", "q1"], key=natural_key) == ["q1", "q1b", "q2", "q10"]


def test_grades_csv_and_results_json_follow_the_notebook(tmp_path):
    entries = [intake.Entry(rel="a.ipynb", path=Path("a.ipynb"), failure="empty file")]
    report.write_csv(tmp_path / "grades.csv", entries, assignment())
    header = next(csv.reader(open(tmp_path / "grades.csv", newline="")))
    assert header[1:-3] == NOTEBOOK_ORDER
    report.write_results(tmp_path / "results.json", entries, assignment())
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["question_order"] == NOTEBOOK_ORDER
    rows = [{"file": f"{i}.ipynb", "failed": False, "scores": {q: i % 2 for q in NOTEBOOK_ORDER}} for i in range(4)]
    stats = compute({**results, "rows": rows})
    assert [i["question"] for i in stats["items"]] == NOTEBOOK_ORDER


def test_written_questions_keep_the_masters_order(tmp_path):
    (tmp_path / "written").mkdir()
    questions = {q: {"points": 2, "codes": {}} for q in ("explain_a", "compare", "why")}
    (tmp_path / "written" / "codes.json").write_text(
        json.dumps({"order": ["why", "explain_a", "compare"], "questions": questions}, sort_keys=True)
    )
    assert list(load_codes(tmp_path)) == ["why", "explain_a", "compare"]
