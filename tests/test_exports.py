"""Exports for Canvas and Gradescope, from a final_grades.csv and a roster."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys

import pytest
from helpers import ROOT

from autograder.exports import ExportError, export
from autograder.exports.canvas import HEADER as CANVAS_HEADER

GRADES = """file,q1,q2,autograded_points,written_points,total_points_earned,percent_correct,grading_status
points-per-question,1,2,1,2,3,1,--
alice.ipynb,1,2,1,2,3,1,Completed
sec2/bob.zip,0,1.5,0,1.5,1.5,0.5,Completed
carol.ipynb,0,0,0,0,0,0,Failed: empty file
"""

ROSTER = """File,Student_ID,Name,Email,Section,SIS_Login_ID
alice.ipynb,1001,"Lovelace, Ada",ada@example.edu,S1,ada
sec2/bob.zip,1002,Bob Babbage,bob@example.edu,S2,bob
carol.ipynb,1003,Carol Hopper,carol@example.edu,S1,carol
,1004,Dan Knuth,dan@example.edu,S2,dan
"""


@pytest.fixture()
def files(tmp_path):
    grades = tmp_path / "lab1" / "final_grades.csv"
    grades.parent.mkdir()
    grades.write_text(GRADES)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    return grades, roster, tmp_path


def rows(path):
    return list(csv.reader(io.StringIO(path.read_text(), newline="")))


def test_canvas_layout(files):
    grades, roster, tmp = files
    summary = export("canvas", grades, roster, tmp / "canvas.csv", title="Lab 1: ML lifecycle", allow_incomplete=True)
    table = rows(tmp / "canvas.csv")
    assert (
        table[0]
        == [*CANVAS_HEADER, "Lab 1: ML lifecycle"]
        == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 1: ML lifecycle"]
    )
    assert table[1][0].strip() == "Points Possible" and table[1][-1] == "3"
    assert table[2] == ["Lovelace, Ada", "", "1001", "ada", "S1", "3"]
    assert table[3][2:] == ["1002", "bob", "S2", "1.5"]
    assert table[4][-1] == "0"  # a failed submission scores 0, it is not "no submission"
    assert table[5][2] == "1004" and table[5][-1] == ""  # no submission: blank leaves Canvas unchanged
    assert summary["no_submission"] == ["1004"]
    assert (tmp / "canvas.csv").read_bytes().count(b"\r\n") == 6
    warnings = (tmp / "canvas.csv.warnings.txt").read_text()
    assert "carol.ipynb (1003): Failed: empty file" in warnings and "1004 (Dan Knuth): no submission" in warnings


def test_canvas_title_defaults_to_the_grades_folder(files):
    grades, roster, tmp = files
    export("canvas", grades, roster, tmp / "c.csv", allow_incomplete=True)
    assert rows(tmp / "c.csv")[0][-1] == "lab1"


def test_gradescope_layout(files):
    grades, roster, tmp = files
    export("gradescope", grades, roster, tmp / "gs.csv", allow_incomplete=True)
    assert rows(tmp / "gs.csv") == [
        ["Name", "SID", "Email", "Total Score", "Max Points"],
        ["Lovelace, Ada", "1001", "ada@example.edu", "3", "3"],
        ["Bob Babbage", "1002", "bob@example.edu", "1.5", "3"],
        ["Carol Hopper", "1003", "carol@example.edu", "0", "3"],
    ]


@pytest.mark.parametrize(
    "roster, message",
    [
        ("file,name,email\nalice.ipynb,A,a@x\n", "line 1: no student_id column"),
        ("file,name\nalice.ipynb,A\n", "line 1: no student_id, email column (need file, student_id, name, email"),
        ("\ufeff" + ROSTER.replace("\n,1004", "\ndan.ipynb,1004"), "line 5: dan.ipynb is not among the graded"),
        (ROSTER.replace("carol.ipynb,1003", "alice.ipynb,1003"), "line 4: file alice.ipynb is also on line 2"),
        (ROSTER.replace("dan@example", "ADA@example"), "line 5: e-mail ADA@example.edu is also on line 2"),
        (ROSTER.replace("Email,Section", "Email,email"), "line 1: column email appears twice"),
        (ROSTER.replace(",1004,", ",1001,"), "line 5: student id 1001 is also on line 2"),
        (
            ROSTER.replace("carol.ipynb,1003,Carol Hopper,carol@example.edu,S1,carol\n", ""),
            "1 graded file(s) are not in the roster: carol.ipynb",
        ),
        (ROSTER.replace(",S2,dan", ""), "line 5: 4 fields, but the header has 6"),
    ],
)
def test_roster_problems_stop_the_export(files, roster, message):
    grades, path, tmp = files
    path.write_text(roster)
    with pytest.raises(ExportError, match=re.escape(message)):
        export("canvas", grades, path, tmp / "out.csv", allow_incomplete=True)
    assert not (tmp / "out.csv").exists() and not (tmp / "out.csv.warnings.txt").exists()


def test_a_roster_with_a_utf8_bom_reads_and_a_utf16_one_is_refused_with_how_to_save(files):
    grades, path, tmp = files
    path.write_bytes(b"\xef\xbb\xbf" + ROSTER.encode())
    assert export("canvas", grades, path, tmp / "out.csv", allow_incomplete=True)["students"] == 4
    path.write_bytes(ROSTER.encode("utf-16"))
    with pytest.raises(ExportError, match=re.escape("line 1: saved as UTF-16 (Excel's 'Unicode text'); save it as")):
        export("canvas", grades, path, tmp / "out2.csv", allow_incomplete=True)


def test_a_failed_or_missing_submission_blocks_the_export_naming_each(files):
    grades, roster, tmp = files
    with pytest.raises(ExportError) as error:
        export("gradescope", grades, roster, tmp / "gs.csv")
    message = str(error.value)
    assert "2 grade(s) incomplete, nothing written" in message and "--allow-incomplete" in message
    assert "carol.ipynb (1003): Failed: empty file" in message and "1004 (Dan Knuth): no submission" in message
    assert not (tmp / "gs.csv").exists()


FINAL = """file,q1,w1,w2,autograded_points,written_points,total_points_earned,percent_correct,grading_status
points-per-question,1,2,2,1,4,5,1,--
alice.ipynb,1,2,2,1,4,5,1,Completed
sec2/bob.zip,1,2,,1,2,3,0.6,Completed; written not scored: w2
"""


def test_a_missing_written_score_blocks_the_export_with_its_name(tmp_path):
    """Issue 23: bob's w2 is unscored; the export names it and writes nothing, then with
    --allow-incomplete writes the file and the warning beside it; once scored, no warnings file."""
    out = tmp_path / "lab1"
    (out / "written").mkdir(parents=True)
    (out / "written" / "codes.json").write_text('{"questions": {"w1": {}, "w2": {}}}')
    (out / "final_grades.csv").write_text(FINAL)
    roster = tmp_path / "roster.csv"
    roster.write_text("file,student_id,name,email\nalice.ipynb,1,A,a@x\nsec2/bob.zip,2,B,b@x\n")
    target = tmp_path / "gs.csv"
    with pytest.raises(ExportError, match=re.escape("sec2/bob.zip (2): written not scored: w2")):
        export("gradescope", out / "final_grades.csv", roster, target)
    assert not target.exists()
    summary = export("gradescope", out / "final_grades.csv", roster, target, allow_incomplete=True)
    assert summary["warnings"] == ["sec2/bob.zip (2): written not scored: w2"]
    assert "sec2/bob.zip (2): written not scored: w2" in (tmp_path / "gs.csv.warnings.txt").read_text()
    (out / "final_grades.csv").write_text(
        FINAL.replace(",,1,2,3,0.6,Completed; written not scored: w2", ",1,1,3,4,0.8,Completed")
    )
    assert export("gradescope", out / "final_grades.csv", roster, target)["warnings"] == []
    assert not (tmp_path / "gs.csv.warnings.txt").exists()


def test_grades_csv_without_the_written_scores_blocks_the_export(tmp_path):
    out = tmp_path / "lab1"
    (out / "written").mkdir(parents=True)
    (out / "written" / "codes.json").write_text('{"questions": {"w1": {}}}')
    (out / "grades.csv").write_text(
        "file,q1,total_points_earned,percent_correct,grading_status\npoints-per-question,1,1,1,--\n"
        "a.ipynb,1,1,1,Completed\n"
    )
    roster = tmp_path / "roster.csv"
    roster.write_text("file,student_id,name,email\na.ipynb,1,A,a@x\n")
    with pytest.raises(ExportError, match="the written questions w1 have no scores in this CSV: run import-scores"):
        export("canvas", out / "grades.csv", roster, tmp_path / "c.csv")


def test_export_command(files):
    grades, roster, tmp = files
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    base = [sys.executable, "-m", "autograder", "export", "--grades", str(grades), "--roster", str(roster)]
    run = subprocess.run(
        [*base, "--format", "gradescope", "--out", str(tmp / "gs.csv")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 1 and "carol.ipynb (1003): Failed" in run.stderr and not (tmp / "gs.csv").exists()
    run = subprocess.run(
        [*base, "--format", "gradescope", "--out", str(tmp / "gs.csv"), "--allow-incomplete"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "3 of 4 students" in run.stdout and "1004" in run.stdout and "INCOMPLETE: 2 warning(s)" in run.stdout
    run = subprocess.run(
        [*base, "--format", "canvas", "--roster", str(grades), "--out", str(tmp / "c.csv")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 1 and "error:" in run.stderr


# --------------------------------------------------------------------------------------------
# the package an instructor installs (issue 14, "fit the ecosystem")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The course wheel, built from a copy of the sources (so no build/ lands in the tree), with
    the generated autograders and the masters present in the copy, as in a real checkout."""
    import shutil
    import zipfile

    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("mlsys_lab", "autograder", "solutions"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    (src / "autograder" / "dist" / "00_probe").mkdir(parents=True, exist_ok=True)
    (src / "autograder" / "dist" / "00_probe" / "hidden_test.py").write_text("SECRET = 1\n")
    (src / "autograder" / "dist" / "00_probe.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            str(src),
            "-w",
            str(tmp / "out"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    (path,) = (tmp / "out").glob("mlsys_lab-*.whl")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        zf.extractall(tmp / "installed")
    return names, tmp / "installed"


def test_wheel_ships_the_tools_and_the_console_command_but_no_autograders_or_masters(wheel):
    names, installed = wheel
    for module in (
        "autograder/__main__.py",
        "autograder/review/written/__init__.py",
        "autograder/review/class_report/__init__.py",
        "autograder/exports/__init__.py",
        "mlsys_lab/__init__.py",
    ):
        assert module in names
    assert not [n for n in names if n.startswith(("autograder/dist", "solutions/")) or n.endswith(".zip")]
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    text = (installed / entry_points).read_text()
    assert "[console_scripts]" in text and "mlsys-lab = autograder.__main__:main" in text


def test_installed_command_runs_outside_the_checkout(wheel, files):
    """`mlsys-lab export` (the entry point's function) from the unpacked wheel, cwd elsewhere."""
    _, installed = wheel
    grades, roster, tmp = files
    code = "import sys, autograder; from autograder.__main__ import main; print(autograder.__file__); sys.exit(main())"
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "export",
            "--format",
            "gradescope",
            "--grades",
            str(grades),
            "--roster",
            str(roster),
            "--out",
            str(tmp / "gs.csv"),
            "--allow-incomplete",
        ],
        capture_output=True,
        text=True,
        cwd=tmp,
        env={**os.environ, "PYTHONPATH": str(installed)},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith(str(installed))
    assert rows(tmp / "gs.csv")[1][:2] == ["Lovelace, Ada", "1001"]


def test_installed_command_lists_its_commands_and_tells_grade_what_to_pass(wheel, tmp_path):
    """Issue 23: ``mlsys-lab --help`` names itself and every command and exits 0; ``grade``
    without ``--autograder`` tells an installed user to pass the zip (there is no assign to run)."""
    _, installed = wheel
    code = "import sys; sys.argv[0] = '/venv/bin/mlsys-lab'; from autograder.__main__ import main; sys.exit(main())"
    env = {**os.environ, "PYTHONPATH": str(installed)}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=tmp_path, env=env
        )

    shown = run("--help")
    assert shown.returncode == 0 and shown.stdout.startswith("usage: mlsys-lab COMMAND")
    for command in ("grade", "merge", "written", "import-scores", "report", "export", "personal", "codes"):
        assert f"\n  {command} " in shown.stdout
    assert run().returncode == 2 and run("nope").returncode == 2
    (tmp_path / "subs").mkdir()
    graded = run("grade", "--assignment", "01_ml_lifecycle", "--submissions", "subs", "--out", "out")
    assert graded.returncode == 1 and "pass --autograder PATH/01_ml_lifecycle.zip" in graded.stderr
    assert "python -m autograder assign" not in graded.stderr


def test_installed_written_import_and_export_need_no_checkout(wheel, tmp_path):
    """Issue 23: from the unpacked wheel, cwd elsewhere, with the master given: written sheets out,
    one score in (the other named as missing), the export refused naming it, then allowed."""
    import json
    import shutil

    _, installed = wheel
    code = "import sys; sys.argv[0] = 'mlsys-lab'; from autograder.__main__ import main; sys.exit(main())"
    env = {**os.environ, "PYTHONPATH": str(installed)}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=tmp_path, env=env
        )

    (tmp_path / "subs").mkdir()
    shutil.copy(ROOT / "notebooks" / "01_ml_lifecycle.ipynb", tmp_path / "subs" / "a.ipynb")
    master = str(ROOT / "solutions" / "01_ml_lifecycle.md")
    made = run(
        "written", "--assignment", "01_ml_lifecycle", "--submissions", "subs", "--out", "out", "--master", master
    )
    assert made.returncode == 0, made.stderr
    (tmp_path / "out" / "grades.csv").write_text(
        "file,q1,total_points_earned,percent_correct,grading_status\npoints-per-question,1,1,1,--\n"
        "a.ipynb,1,1,1,Completed\n"
    )
    codes = json.loads((tmp_path / "out" / "written" / "codes.json").read_text())
    first, second = codes["order"][:2]
    (tmp_path / "s.csv").write_text(
        f"question,code,score\n{first},{next(iter(codes['questions'][first]['codes']))},1\n"
    )
    imported = run("import-scores", "--out", "out", "--scores", "s.csv")
    assert imported.returncode == 0, imported.stderr
    missing = f"{second} {next(iter(codes['questions'][second]['codes']))} (a.ipynb)"
    assert missing in imported.stdout
    (tmp_path / "roster.csv").write_text("file,student_id,name,email\na.ipynb,1,A,a@x\n")
    export = ["export", "--format", "canvas", "--grades", "out/final_grades.csv", "--roster", "roster.csv"]
    refused = run(*export, "--out", "c.csv")
    assert refused.returncode == 1 and f"a.ipynb (1): written not scored: {second}" in refused.stderr
    assert run(*export, "--out", "c.csv", "--allow-incomplete").returncode == 0
    assert (tmp_path / "c.csv.warnings.txt").is_file()
