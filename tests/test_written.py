"""Written answers: grading sheets out of real student notebooks, scores back in, all checked.

Submissions are the committed student notebook of chapter 1 with its written answer cells
filled in; the autograded side is a synthetic ``grades.csv`` in the grader's layout.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT

from autograder.review.written import export_sheets, import_scores, written_questions
from autograder.review.written.answers import BEGIN, written_answers
from autograder.review.written.scores import ScoreFileError
from autograder.review.written.similarity import groups, similar_pairs

NAME = "01_ml_lifecycle"
MASTER = ROOT / "solutions" / f"{NAME}.md"
STUDENT = ROOT / "notebooks" / f"{NAME}.ipynb"

LONG = (
    "Accuracy is only one requirement. The model needs more memory than the tablet offers, so it "
    "cannot run at all and months of tuning were spent on a design that was never deployable. "
    "The memory budget belonged in the problem definition from the first meeting."
)
NEAR_COPY = LONG.replace("tablet", "device").replace("from the first meeting", "from day one")
OTHER = (
    "Constraints travel backwards: the deployment target fixes a compute and memory budget that "
    "rules out architectures before training, so evaluation must measure latency on real phones."
)


def fill(answers: dict[str, str]) -> dict:
    """The released notebook with the written answers of ``answers`` typed in."""
    nb = json.loads(STUDENT.read_text(encoding="utf-8"))
    questions = written_questions(MASTER)
    order = [q.name for q in questions]
    seen = -1
    for i, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if BEGIN in source:
            seen += 1
            if order[seen] in answers:
                nb["cells"][i + 1]["source"] = answers[order[seen]]
    return nb


@pytest.fixture(scope="module")
def questions():
    return written_questions(MASTER)


@pytest.fixture()
def course(tmp_path, questions):
    """Five submissions (one zipped, one blank, one broken) and a matching grades.csv."""
    first, second = (q.name for q in questions[:2])
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "alice.ipynb").write_text(json.dumps(fill({first: LONG, second: OTHER})))
    with zipfile.ZipFile(subs / "bob.zip", "w") as zf:
        zf.writestr(f"{NAME}.ipynb", json.dumps(fill({first: NEAR_COPY, second: "<script>alert(1)</script> short"})))
    (subs / "carol.ipynb").write_text(json.dumps(fill({first: OTHER, second: LONG})))
    (subs / "dave.ipynb").write_text(json.dumps(fill({})))
    (subs / "broken.ipynb").write_text("{ not json")
    out = tmp_path / "out"
    out.mkdir()
    rows = [
        ["file", "q1", "q3", "total_points_earned", "percent_correct", "grading_status"],
        ["points-per-question", "1", "2", "3", "1", "--"],
        ["alice.ipynb", "1", "2", "3", "1", "Completed"],
        ["bob.zip", "0", "2", "2", "0.6667", "Completed"],
        ["broken.ipynb", "0", "0", "0", "0", "Failed: not a notebook: invalid JSON"],
        ["carol.ipynb", "1", "0", "1", "0.3333", "Completed"],
        ["dave.ipynb", "0", "0", "0", "0", "Completed"],
    ]
    with open(out / "grades.csv", "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    summary = export_sheets(NAME, subs, out, master=MASTER)
    return {"subs": subs, "out": out, "summary": summary, "first": first, "second": second}


def codes(out: Path) -> dict:
    return json.loads((out / "written" / "codes.json").read_text())["questions"]


def code_for(out: Path, question: str, file: str) -> str:
    return next(c for c, f in codes(out)[question]["codes"].items() if f == file)


def write_scores(path: Path, rows: list[list[str]], header=("question", "code", "score", "comment")) -> Path:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --------------------------------------------------------------------------------------------
# the master and the notebook


def test_every_manual_question_of_every_master_has_points_prompt_and_rubric():
    total = 0
    for master in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.md")):
        declared = re.findall(r"name: (\w+)\n(?:[^`]*?)manual: true", master.read_text())
        found = written_questions(master)
        assert [q.name for q in found] == declared, master.name
        for q in found:
            assert q.points > 0 and q.prompt and q.rubric.startswith("**Rubric.**"), (master.name, q.name)
            assert "Write your answer" not in q.prompt
        total += len(found)
    assert total == 21  # the course's written questions (issue 14)


def test_answers_are_read_from_the_released_notebook_layout(questions):
    blank = written_answers(STUDENT.read_bytes(), questions)
    assert blank == {q.name: "" for q in questions}  # otter's placeholder is not an answer
    filled = written_answers(fill({questions[-1].name: "my answer"}), questions)
    assert filled[questions[-1].name] == "my answer"
    with pytest.raises(ValueError):
        written_answers(b"{ not json", questions)


# --------------------------------------------------------------------------------------------
# the sheets


def test_one_page_per_question_with_question_rubric_codes_and_no_names(course, questions):
    out = course["out"]
    for q in questions:
        page = (out / "written" / f"{q.name}.html").read_text()
        assert q.prompt.split("\n")[0].replace("**", "")[:40] in page.replace("<strong>", "").replace("</strong>", "")
        assert "Rubric." in page and 'type="number"' in page and "Download scores (CSV)" in page
        assert f'max="{q.points:g}"' in page
        for code in codes(out)[q.name]["codes"]:
            assert f'data-code="{code}"' in page
        for name in ("alice", "bob", "carol", "dave", "broken"):
            assert name not in page  # anonymous
        assert "http://" not in page and "https://" not in page  # works offline, loads nothing
    second = (out / "written" / f"{course['second']}.html").read_text()
    assert "<script>alert(1)</script>" not in second and "&lt;script&gt;alert(1)&lt;/script&gt;" in second


def test_csv_lists_every_submission_per_question_blank_ones_prefilled_zero(course, questions):
    out = course["out"]
    rows = list(csv.DictReader(open(out / "written" / "written_answers.csv", newline="")))
    assert len(rows) == 5 * len(questions)
    first = {r["code"]: r for r in rows if r["question"] == course["first"]}
    assert first[code_for(out, course["first"], "alice.ipynb")]["answer"] == LONG
    assert first[code_for(out, course["first"], "dave.ipynb")]["score"] == "0"
    assert first[code_for(out, course["first"], "alice.ipynb")]["score"] == ""
    page = (out / "written" / f"{course['first']}.html").read_text()
    assert "could not read the submission" in page  # broken.ipynb keeps a row and says why


def test_near_identical_answers_are_flagged_side_by_side(course):
    out, q = course["out"], course["first"]
    alice, bob = code_for(out, q, "alice.ipynb"), code_for(out, q, "bob.zip")
    rows = {
        r["code"]: r
        for r in csv.DictReader(open(out / "written" / "written_answers.csv", newline=""))
        if r["question"] == q
    }
    assert rows[alice]["similar_to"] == bob and rows[bob]["similar_to"] == alice
    assert rows[code_for(out, q, "carol.ipynb")]["similar_to"] == ""
    assert course["summary"]["groups"][q] == [sorted([alice, bob])]
    page = (out / "written" / f"{q}.html").read_text()
    group = page.split('<div class="group">')[1].split("</div>\n<h2>")[0]
    assert alice in group and bob in group
    # blank answers are never "similar" to each other
    assert code_for(out, q, "dave.ipynb") not in group


def test_codes_are_stable_across_runs_and_differ_between_questions(course):
    out = course["out"]
    before = codes(out)
    export_sheets(NAME, course["subs"], out, master=MASTER)
    assert codes(out) == before
    assert code_for(out, course["first"], "alice.ipynb") != code_for(out, course["second"], "alice.ipynb")


def test_similarity_finds_copies_among_many_distinct_answers():
    import random

    rng = random.Random(1)
    words = [f"w{i}" for i in range(400)]
    answers = {f"a{i:04d}": " ".join(rng.choice(words) for _ in range(40)) for i in range(1500)}
    answers["copy"] = answers["a0007"].replace("w", "W", 1) + " indeed"
    answers["same"] = answers["a0100"].upper() + "!"
    pairs = similar_pairs(answers)
    assert ("a0007", "copy") in {(a, b) for a, b, _ in pairs}
    assert ("a0100", "same", 1.0) in pairs
    assert groups(pairs) == [["a0007", "copy"], ["a0100", "same"]]


# --------------------------------------------------------------------------------------------
# scores back in


def test_round_trip_merges_written_columns_and_totals(course):
    out, q1, q2 = course["out"], course["first"], course["second"]
    c = lambda q, f: code_for(out, q, f)  # noqa: E731
    a = write_scores(
        out / "a.csv",
        [
            [q1, c(q1, "alice.ipynb"), "2", "all there"],
            [q1, c(q1, "bob.zip"), "1.5", ""],
            [q1, c(q1, "carol.ipynb"), "", "later"],
        ],
    )
    b = write_scores(out / "b.csv", [[q2, c(q2, "alice.ipynb"), "1", 'quotes "and", commas\nand a newline']])
    summary = import_scores(out, [a, b])
    assert summary["scores_read"] == 3
    rows = list(csv.reader(open(out / "final_grades.csv", newline="")))
    written = [q.name for q in written_questions(MASTER)]
    assert rows[0] == [
        "file",
        "q1",
        "q3",
        *written,
        "autograded_points",
        "written_points",
        "total_points_earned",
        "percent_correct",
        "grading_status",
    ]
    possible = 3 + 2 * len(written)
    assert rows[1][:5] == ["points-per-question", "1", "2", "2", "2"] and rows[1][-3:] == [str(possible), "1", "--"]
    by_file = {r[0]: dict(zip(rows[0], r)) for r in rows[2:]}
    alice, bob = by_file["alice.ipynb"], by_file["bob.zip"]
    assert (alice[q1], alice[q2], alice["written_points"], alice["total_points_earned"]) == ("2", "1", "3", "6")
    assert alice["percent_correct"] == str(round(6 / possible, 4))
    assert (bob[q1], bob[q2], bob["total_points_earned"]) == ("1.5", "", "3.5")
    assert "written not scored: " + q2 in bob["grading_status"]
    assert by_file["carol.ipynb"][q1] == ""  # a blank score is "not scored yet"
    assert by_file["broken.ipynb"]["grading_status"].startswith("Failed: not a notebook")


def test_imports_add_up_and_a_reimport_replaces_only_its_own_scores(course):
    """Issue 23: one question's file, then the other's, then a corrected first file: nothing an
    earlier import gave is dropped, and a blank cell does not erase a score."""
    out, q1, q2 = course["out"], course["first"], course["second"]
    c = lambda q, f: code_for(out, q, f)  # noqa: E731
    first = write_scores(out / "q1.csv", [[q1, c(q1, "alice.ipynb"), "2", ""], [q1, c(q1, "bob.zip"), "1", ""]])
    import_scores(out, [first])
    second = import_scores(out, [write_scores(out / "q2.csv", [[q2, c(q2, "alice.ipynb"), "1.5", ""]])])
    assert second["scores_kept"] == 2 and second["changed"] == 0
    again = write_scores(out / "q1b.csv", [[q1, c(q1, "bob.zip"), "0.5", ""], [q1, c(q1, "alice.ipynb"), "", ""]])
    third = import_scores(out, [again])
    assert third["changed"] == 1
    final = {r["file"]: r for r in csv.DictReader(open(out / "final_grades.csv", newline=""))}
    assert (final["alice.ipynb"][q1], final["alice.ipynb"][q2], final["bob.zip"][q1]) == ("2", "1.5", "0.5")


def test_the_summary_names_every_unscored_answer(course):
    from autograder.review.written.scores import format_summary

    out, q1 = course["out"], course["first"]
    alice = code_for(out, q1, "alice.ipynb")
    summary = import_scores(out, [write_scores(out / "a.csv", [[q1, alice, "2", ""]])])
    text = format_summary(summary)
    bob = code_for(out, q1, "bob.zip")
    assert f"  {q1} {bob} (bob.zip)" in text and f"{q1} {alice} (alice.ipynb)" not in text
    assert (q1, bob, "bob.zip") in summary["missing"] and "export refuses" in text


def test_the_downloaded_sheet_format_and_the_filled_csv_both_import(course):
    out = course["out"]
    filled = out / "filled.csv"
    text = (out / "written" / "written_answers.csv").read_text()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows[1:]:
        if row[5] == "":
            row[5] = "1"
    with open(filled, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    summary = import_scores(out, [filled])
    assert summary["unscored"] == 0 and summary["scores_read"] == summary["answers"] and not summary["missing"]


BAD = {
    "unknown code": ([["{q1}", "W-NOPE00", "1", ""]], "line 2, column 2 (code): unknown code 'W-NOPE00'"),
    "unknown question": ([["q99", "{alice1}", "1", ""]], "line 2, column 1 (question): unknown question 'q99'"),
    "too many points": ([["{q1}", "{alice1}", "2.5", ""]], "line 2, column 3 (score): 2.5 is outside 0 to 2"),
    "negative": ([["{q1}", "{alice1}", "-1", ""]], "line 2, column 3 (score): -1 is outside 0 to 2"),
    "not a number": ([["{q1}", "{alice1}", "two", ""]], "line 2, column 3 (score): 'two' is not a number"),
    "nan": ([["{q1}", "{alice1}", "nan", ""]], "line 2, column 3 (score): nan is outside 0 to 2"),
    "duplicate": (
        [["{q1}", "{alice1}", "1", ""], ["{q1}", "{alice1}", "1", ""]],
        "line 3: {q1} {alice1} is scored twice",
    ),
    "ragged row": ([["{q1}", "{alice1}", "1"]], "line 2: 3 fields, but the header has 4"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_score_files_are_refused_whole_naming_line_and_column(course, case):
    out, q1 = course["out"], course["first"]
    alice1 = code_for(out, q1, "alice.ipynb")
    previous = b"file\nprevious run\n"
    (out / "final_grades.csv").write_bytes(previous)
    good = write_scores(out / "good.csv", [[q1, code_for(out, q1, "bob.zip"), "2", ""]])
    rows, expected = BAD[case]
    rows = [[cell.format(q1=q1, alice1=alice1) for cell in row] for row in rows]
    bad = write_scores(out / "bad.csv", rows)
    with pytest.raises(ScoreFileError) as error:
        import_scores(out, [good, bad])
    message = str(error.value)
    assert "nothing was merged" in message
    assert f"{bad}, {expected.format(q1=q1, alice1=alice1)}" in message
    assert (out / "final_grades.csv").read_bytes() == previous


def test_a_score_given_in_two_files_is_a_duplicate(course):
    out, q1 = course["out"], course["first"]
    alice1 = code_for(out, q1, "alice.ipynb")
    a = write_scores(out / "a.csv", [[q1, alice1, "1", ""]])
    b = write_scores(out / "b.csv", [[q1, alice1, "2", ""]])
    with pytest.raises(
        ScoreFileError,
        match=rf"{re.escape(str(b))}, line 2: {q1} {alice1} is scored twice \(first in {re.escape(str(a))} line 2\)",
    ):
        import_scores(out, [a, b])
    assert not (out / "final_grades.csv").exists()


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"code,score\nW-1,1\n", "line 1: no column named question"),
        (b'question,code,score\n"q2,W-1,1\n', "malformed CSV"),
        (b"\xff\xfeq\x00u\x00", "not UTF-8 text"),
        (b"", "empty file"),
        (b"question,code,score,score\n", "column score appears twice"),
    ],
)
def test_unreadable_score_files_are_refused(course, content, expected):
    path = course["out"] / "odd.csv"
    path.write_bytes(content)
    with pytest.raises(ScoreFileError, match=re.escape(expected)):
        import_scores(course["out"], [path])
    assert not (course["out"] / "final_grades.csv").exists()


def test_import_scores_command_reports_errors_and_succeeds(course):
    out, q1 = course["out"], course["first"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bad = write_scores(out / "bad.csv", [[q1, "W-NOPE00", "1", ""]])
    run = subprocess.run(
        [sys.executable, "-m", "autograder", "import-scores", "--out", str(out), "--scores", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 1 and "unknown code 'W-NOPE00'" in run.stderr
    good = write_scores(out / "good.csv", [[q1, code_for(out, q1, "alice.ipynb"), "2", ""]])
    run = subprocess.run(
        [sys.executable, "-m", "autograder", "import-scores", "--out", str(out), "--scores", str(good)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "final_grades.csv" in run.stdout and (out / "final_grades.csv").is_file()


# --------------------------------------------------------------------------------------------
# the page in a browser: type scores, download, import


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.browser
def test_scores_typed_in_the_page_download_and_import(course):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: run `make browser` (apt-get install chromium)")
    out, q1 = course["out"], course["first"]
    alice, bob = code_for(out, q1, "alice.ipynb"), code_for(out, q1, "bob.zip")
    errors, requests = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "written" / f"{q1}.html").as_uri())
        page.fill(f'[data-code="{alice}"] input[type=number]', "2")
        page.fill(f'[data-code="{alice}"] input[type=text]', 'both points, "clear"')
        page.fill(f'[data-code="{bob}"] input[type=number]', "5")
        assert "out of range" in page.inner_text("#count")
        page.fill(f'[data-code="{bob}"] input[type=number]', "1.5")
        assert page.inner_text("#count").startswith("4 of 5 scored")  # 2 typed + 2 blank answers prefilled 0
        page.reload()  # scores survive a reload (kept in the browser)
        assert page.input_value(f'[data-code="{alice}"] input[type=number]') == "2"
        with page.expect_download() as download:
            page.click("#download")
        assert download.value.suggested_filename == f"scores_{q1}.csv"
        target = out / download.value.suggested_filename
        download.value.save_as(target)
        browser.close()
    assert not errors
    assert all(url.startswith(("file:", "blob:", "data:")) for url in requests)
    summary = import_scores(out, [target])
    assert summary["scores_read"] == 4
    final = {r["file"]: r for r in csv.DictReader(open(out / "final_grades.csv", newline=""))}
    assert (final["alice.ipynb"][q1], final["bob.zip"][q1], final["carol.ipynb"][q1]) == ("2", "1.5", "")
    comments = {r["code"]: r["comment"] for r in csv.DictReader(open(target, newline=""))}
    assert comments[alice] == 'both points, "clear"'


def test_summary_line_for_the_grader(course, questions):
    line = str(course["summary"])
    assert line.startswith(str(course["out"] / "written"))
    assert f"{len(questions)} question page(s)" in line and "1 group(s) of similar answers" in line
