"""The class report: its statistics on a generated class, the page and its figures."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from helpers import ROOT

from autograder.review.class_report import choice_options, write_report
from autograder.review.class_report.stats import compute, item_rest, status_counts
from autograder.review.class_report.synthetic import results


@pytest.fixture(scope="module")
def generated():
    return results(600, seed=3)


def test_item_rest_correlation_matches_its_definition():
    rng = np.random.default_rng(0)
    scores = (rng.random((50, 4)) < 0.5).astype(float)
    r = item_rest(scores)
    for j in range(4):
        rest = scores.sum(axis=1) - scores[:, j]
        item = scores[:, j]
        expected = ((item - item.mean()) * (rest - rest.mean())).sum() / np.sqrt(
            ((item - item.mean()) ** 2).sum() * ((rest - rest.mean()) ** 2).sum()
        )
        assert r[j] == pytest.approx(expected)
    constant = np.column_stack([np.ones(10), np.arange(10.0)])
    assert np.isnan(item_rest(constant)[0])  # no spread: undefined, not zero


def test_generated_class_flags_exactly_the_miskeyed_item_and_the_dead_distractor(generated):
    stats = compute(generated)
    flagged = {i["question"]: i["flags"] for i in stats["flagged"]}
    assert set(flagged) == {"q4", "q6"}
    assert flagged["q4"][0].startswith("negative discrimination")
    assert flagged["q6"] == ["distractor D picked by nobody"]
    by_q = {i["question"]: i for i in stats["items"]}
    assert by_q["q7"]["share_correct"] < by_q["q1"]["share_correct"]  # q7 was generated harder
    assert all(by_q[q]["discrimination"] > 0.2 for q in ("q1", "q2", "q3", "q5", "q7", "q8"))


def test_distractor_counts_and_key(generated):
    stats = compute(generated)
    q1 = next(d for d in stats["distractors"] if d["question"] == "q1")
    graded = [r for r in generated["rows"] if not r["failed"]]
    picked = [r["answers"]["q1_answer"] for r in graded]
    assert q1["key"] == "B"
    assert q1["counts"] == {c: picked.count(c) for c in "ABCD"}
    assert q1["blank"] == picked.count(None)
    assert {d["question"] for d in stats["distractors"]} == {"q1", "q2", "q4", "q6", "q7"}  # not bool or numbers


def test_options_from_the_master_decide_what_counts_as_unpicked(generated):
    stats = compute(generated, {"q1": list("ABCDE")})
    q1 = next(d for d in stats["distractors"] if d["question"] == "q1")
    assert q1["unused"] == ["E"]
    options = choice_options(ROOT / "solutions" / "01_ml_lifecycle.md")
    assert options and all(v == list("ABCD") for v in options.values())
    assert "q2" not in options  # a written question has no lettered options


def test_statuses_are_counted_from_the_status_text():
    rows = [
        {"status": "Completed", "failed": False},
        {"status": "Completed; cell 7 skipped: still running when the 120 s timeout hit", "failed": False},
        {"status": "Completed; cell 4 hit the memory cap (2048 MiB: MemoryError)", "failed": False},
        {"status": "Failed: timed out after 120 s while running the tests", "failed": True},
        {"status": "Failed: not a notebook: invalid JSON (Expecting value at line 1, column 1)", "failed": True},
    ]
    counts = status_counts(rows)
    assert (counts["failed"], counts["timed_out"], counts["skipped_cells"], counts["memory_cap"]) == (2, 2, 1, 1)
    assert counts["completed_with_notes"] == 2
    assert dict(counts["failure_reasons"]) == {
        "timed out after 120 s while running the tests": 1,
        "not a notebook: invalid JSON": 1,
    }


def test_report_page_and_figures(generated, tmp_path):
    (tmp_path / "results.json").write_text(json.dumps(generated))
    path = write_report(tmp_path)
    assert path == tmp_path / "report.html"
    page = path.read_text()
    sources = re.findall(r'<img src="([^"]*)"', page)
    assert len(sources) == 3  # score distribution, questions, distractors
    for src in sources:
        assert src.startswith("data:image/png;base64,")  # embedded: CSP
        data = base64.b64decode(src.split(",", 1)[1])
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    # one file that stands alone: nothing beside it, nothing it links or loads
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "results.json"]
    assert not re.search(r'(?:src|href)="(?!data:|#)', page) and "url(" not in page
    rewrite = page.split("<h2>Questions to rewrite</h2>")[1].split("<h2>")[0]
    assert (
        "<strong>q4</strong>: negative discrimination" in rewrite
        and "<strong>q6</strong>: distractor D picked by nobody" in rewrite
    )
    assert "q1</strong>" not in rewrite
    slowest = page.split("<h2>Slowest submissions</h2>")[1]
    top = max(generated["rows"], key=lambda r: r["seconds"])
    assert slowest.index(top["file"]) < min(
        slowest.index(r["file"]) for r in generated["rows"] if r["file"] in slowest and r["file"] != top["file"]
    )
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_a_file_name_cannot_inject_markup(tmp_path):
    data = results(30, seed=1)
    data["rows"][0]["seconds"] = 999.0
    data["rows"][0]["file"] = "<img src=x onerror=alert(1)>.ipynb"
    (tmp_path / "results.json").write_text(json.dumps(data))
    page = write_report(tmp_path).read_text()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.ipynb" in page


def test_report_command(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, "-m", "autograder", "report", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert run.returncode == 1 and "results.json not found" in run.stderr
    (tmp_path / "results.json").write_text(json.dumps(results(40)))
    run = subprocess.run(
        [sys.executable, "-m", "autograder", "report", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"report: {tmp_path / 'report.html'}"


def test_a_handful_of_submissions_flags_nothing():
    stats = compute(results(12, seed=5))
    assert stats["flagged"] == [] and stats["too_few_to_flag"]
    assert any(d["counts"] for d in stats["distractors"])  # counts are still shown


def test_shuffled_answers_are_counted_under_the_masters_letters(generated, tmp_path):
    """With options shuffled per student, each student's letter is mapped back through their own
    order by the grader (``master_letters`` in results.json), and the report counts those."""
    from autograder.grading.intake import Entry
    from autograder.grading.messages import GradeResult
    from autograder.grading.report import master_letters
    from autograder.grading.score import Assignment
    from mlsys_lab.course import variants

    assignment = Assignment(
        "97_demo", tmp_path / "a.zip", "0", {"q1": 1.0}, {"q1": ["q1_answer"]}, ("q1",), {"q1": 4}, "salt"
    )
    rows = []
    for i, row in enumerate(r for r in generated["rows"] if not r["failed"]):
        picked = row["answers"].get("q1_answer")  # the master's letter this student picked
        variants.configure("salt", "97_demo", f"s{i}")
        shown = variants.letter("q1", picked, 4) if picked else None  # what they typed
        variants.configure(None, None)
        entry = Entry(f"{i}.ipynb", tmp_path, student=f"s{i}", result=GradeResult(True, answers={"q1_answer": shown}))
        mapped = master_letters(entry, assignment)
        assert mapped == ({"q1_answer": picked} if picked else {})
        rows.append({**row, "answers": {**row["answers"], "q1_answer": shown}, "master_letters": mapped})
    typed = compute({**generated, "rows": rows})
    as_master = compute(generated)
    q1 = next(d for d in typed["distractors"] if d["question"] == "q1")
    assert q1 == next(d for d in as_master["distractors"] if d["question"] == "q1")
    assert len({r["answers"]["q1_answer"] for r in rows if r["answers"]["q1_answer"]}) == 4


def test_clustered_items_share_one_readable_label_and_rows_follow_the_notebook(generated, tmp_path):
    """Issue 23: items that fall on the same spot of the scatter get one label ("1, 2, 3"), the
    numbers of the table's # column; the table lists the questions in the notebook's order."""
    from autograder.review.class_report.figures import point_labels

    items = [{"question": q} for q in ("a", "b", "c", "d")]
    labels = point_labels(items, [0.5, 0.51, 0.5, 0.9], [0.3, 0.31, 0.3, float("nan")])
    assert [text for _, _, text in labels] == ["1, 2, 3"]  # d has no discrimination: no point
    order = list(reversed(list(generated["questions"])))
    (tmp_path / "results.json").write_text(json.dumps({**generated, "question_order": order}))
    page = write_report(tmp_path).read_text()
    table = page.split("<h2>Questions: difficulty and discrimination</h2>")[1].split("</table>")[0]
    rows = re.findall(r"<td>(\d+)</td><td class=\"text\">([^<]+)</td>", table)
    assert rows == [(str(n), q) for n, q in enumerate(order, start=1)]


def test_an_earlier_reports_pngs_beside_the_page_are_removed(generated, tmp_path):
    (tmp_path / "results.json").write_text(json.dumps(generated))
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "questions.png").write_bytes(b"old")
    write_report(tmp_path)
    assert not (tmp_path / "report").exists()


def test_a_notebook_that_burned_the_timeout_reports_every_run(monkeypatch):
    """Issue 23: a 30 s run stopped by the timeout, then a 4.9 s rerun without the hung cell:
    the row's seconds (what "slowest submissions" shows) are 34.9, not 4.9."""
    import time

    from autograder.grading import messages as m
    from autograder.grading import sandbox

    runs = iter(
        [
            sandbox.Attempt(cell=3, timed_out=True, cell_started=time.monotonic() - 29, seconds=30.0),
            sandbox.Attempt(done=True, answers={}, seconds=4.9),
        ]
    )
    monkeypatch.setattr(sandbox, "run_once", lambda *args: next(runs))
    job = m.ExecuteJob(cells=[{"number": 3, "source": "while True: pass"}], names=[])
    execution = sandbox.execute(None, job, sandbox.Limits(timeout=30))
    assert execution.seconds == pytest.approx(34.9) and execution.limited
    assert "cell 3 skipped" in execution.notes[0]
