"""Issue 23, "one tool, installed or not": the instructor's week from ``pip install
"mlsys-lab[grading]"`` alone.

The wheel this checkout builds is installed with its ``grading`` extra into a fresh virtual
environment (the versions of ``constraints.txt``; pip's cache keeps a rerun offline-ish), and
every command runs from a temporary folder with no path back to the checkout: the autograder
zip (built from the small fixture master) is the only course file the instructor hands the
tool. The zip carries the released notebook (``personal``) and the written questions
(``written``); the week is ``secret new`` -> ``personal`` -> ``grade`` (sandboxed) ->
``written`` -> ``import-scores`` -> ``report`` -> ``export``, on two submissions: the solution
(full marks) and the blank notebook (zero). About two minutes, most of it the environment,
built once per test run.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import build_once
from helpers import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("installed-week")]  # one worker builds the venv, none waits

NAME = "99_fixture"


def _environment(tool: Path | None = None) -> dict:
    """The caller's environment without anything that leads back to this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_", "MLSYS_"))}
    env.update(PIP_CONSTRAINT=str(ROOT / "constraints.txt"), PIP_DISABLE_PIP_VERSION_CHECK="1", MPLBACKEND="Agg")
    if tool is not None:
        env["PATH"] = f"{tool / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def _install(directory: Path) -> None:
    """The wheel of this checkout, with its grading extra, in a new virtual environment."""
    wheels = directory / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(ROOT), "-w", str(wheels)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("mlsys_lab-*.whl")
    venv.EnvBuilder(with_pip=True).create(directory / "env")
    # the wheel file itself: a package index may hold another project of the same name
    subprocess.run(
        [str(directory / "env" / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[grading]"],
        check=True,
        capture_output=True,
        env=_environment(),
        cwd=directory,
        timeout=1200,
    )


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with ``mlsys-lab[grading]`` installed from the built wheel."""
    return build_once(tmp_path_factory, "installed-grading-tool", _install) / "env"


@pytest.fixture()
def week(installed, fixture_course, tmp_path):
    """A folder as an instructor has it: the autograder zip, two hand-ins and a roster; and a
    ``run`` that calls the installed ``mlsys-lab`` there."""
    shutil.copy(fixture_course.dist / f"{NAME}.zip", tmp_path / f"{NAME}.zip")
    (tmp_path / "hand-ins").mkdir()
    shutil.copy(fixture_course.dist / NAME / f"{NAME}.ipynb", tmp_path / "hand-ins" / "ada.ipynb")
    shutil.copy(fixture_course.notebooks / f"{NAME}.ipynb", tmp_path / "hand-ins" / "alan.ipynb")
    (tmp_path / "roster.csv").write_text(
        "file,student_id,name,email\nada.ipynb,s1,Ada Lovelace,ada@example.org\n"
        "alan.ipynb,s2,Alan Turing,alan@example.org\n"
    )
    env = _environment(installed)

    def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(["mlsys-lab", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        if ok:
            assert done.returncode == 0, f"mlsys-lab {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done

    return tmp_path, run, env


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_tool_is_the_installed_one_and_names_itself(week, installed):
    folder, run, env = week
    where = subprocess.run(
        ["python", "-c", "import autograder, mlsys_lab; print(autograder.__file__); print(mlsys_lab.__file__)"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(line.startswith(str(installed)) for line in where.stdout.split()), where.stdout
    assert run("--help").stdout.startswith("usage: mlsys-lab COMMAND")
    for command in ("grade", "written", "import-scores", "report", "export", "personal", "merge", "codes"):
        assert run(command, "--help").stdout.startswith(f"usage: mlsys-lab {command} "), command
    for command in ("assign", "nbgrader", "reference"):  # they build from masters and settings: a checkout's
        refused = run(command, "--out", "course", ok=False)
        assert refused.returncode == 2 and "runs in a checkout of the course" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr


def test_the_zip_carries_the_released_notebook_and_the_written_questions(fixture_course):
    from autograder.authoring.personal import released_member
    from autograder.review.written.master import written_questions, zip_written_questions

    zipped = fixture_course.dist / f"{NAME}.zip"
    with zipfile.ZipFile(zipped) as zf:
        released = zf.read(released_member(NAME))
    assert released == (fixture_course.notebooks / f"{NAME}.ipynb").read_bytes()
    assert zip_written_questions(zipped) == written_questions(ROOT / "tests" / "fixtures" / f"{NAME}.md")
    assert [q.name for q in zip_written_questions(zipped)] == ["q6"]


def test_the_whole_week_runs_from_the_installed_tool(week):
    from autograder.authoring.course_secret import find_secret
    from mlsys_lab.course.variants import personal_code

    folder, run, _ = week
    zipped = f"{NAME}.zip"

    # the offering's secret, and one notebook per student with the code filled in
    run("secret", "new", "private/offering.secret")
    run("personal", NAME, "--roster", "roster.csv", "--out", "personal", "--autograder", zipped,
        "--secret-file", "private/offering.secret")  # fmt: skip
    secret = find_secret(folder / "private" / "offering.secret")
    run("codes", "--roster", "roster.csv", "--out", "codes.csv", "--secret-file", "private/offering.secret")
    assert _rows(folder / "codes.csv") == [{"student_id": s, "code": personal_code(secret, s)} for s in ("s1", "s2")]
    run("seal", NAME, "--autograder", zipped, "--secret-file", "private/offering.secret")
    with zipfile.ZipFile(folder / f"{NAME}-gradescope.zip") as zf:
        assert zf.read("variants_secret").decode().strip() == secret
    for student in ("s1", "s2"):
        text = (folder / "personal" / student / f"{NAME}.ipynb").read_text(encoding="utf-8")
        assert f'PERSONAL_CODE = \\"{personal_code(secret, student)}\\"' in text
    refused = run("personal", NAME, "--roster", "roster.csv", "--out", "p2", "--secret-file",
                  "private/offering.secret", ok=False)  # fmt: skip
    assert refused.returncode == 1 and f"pass --autograder PATH/{NAME}.zip" in refused.stderr

    # grade, sandboxed: the solution full marks, the blank zero
    graded = run("grade", "--assignment", NAME, "--submissions", "hand-ins", "--out", "out", "--autograder", zipped,
                 "--master-numbers", "--workers", "1")  # fmt: skip
    assert "isolated (bwrap" in graded.stdout and "NOT ISOLATED" not in graded.stdout
    grades = {row["file"]: row for row in _rows(folder / "out" / "grades.csv")}
    possible = float(grades["points-per-question"]["total_points_earned"])
    assert possible > 0
    assert float(grades["ada.ipynb"]["total_points_earned"]) == possible
    assert float(grades["alan.ipynb"]["total_points_earned"]) == 0
    assert grades["ada.ipynb"]["grading_status"].startswith("Completed")
    # the venv lives under /tmp: the warm executor keeps it visible, so no submission fell back cold
    assert not any("cold start" in json.dumps(row) for row in grades.values()), grades

    # the written answers' sheets, from the questions in the zip
    sheets = run("written", "--assignment", NAME, "--submissions", "hand-ins", "--out", "out", "--autograder", zipped)
    assert "1 written question(s), 2 submission(s)" in sheets.stdout
    assert "mlsys-lab import-scores" in sheets.stdout
    answers = _rows(folder / "out" / "written" / "written_answers.csv")
    assert [row["question"] for row in answers] == ["q6", "q6"]
    written_points = float(answers[0]["points"])
    with open(folder / "scores.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["question", "code", "score"])
        for row in answers:
            writer.writerow([row["question"], row["code"], row["points"] if row["answer"] else 0])
    without = run("written", "--assignment", NAME, "--submissions", "hand-ins", "--out", "o2", ok=False)
    assert without.returncode == 1 and f"pass --autograder PATH/{NAME}.zip" in without.stderr

    # the scores in: the written points join the autograded ones
    imported = run("import-scores", "--out", "out", "--scores", "scores.csv")
    assert "every written answer has a score" in imported.stdout
    final = {row["file"]: row for row in _rows(folder / "out" / "final_grades.csv")}
    assert float(final["ada.ipynb"]["q6"]) == written_points
    assert float(final["ada.ipynb"]["written_points"]) == written_points
    assert float(final["ada.ipynb"]["total_points_earned"]) == possible + written_points
    assert float(final["alan.ipynb"]["total_points_earned"]) == 0

    # one self-contained report
    run("report", "--out", "out")
    report = (folder / "out" / "report.html").read_text(encoding="utf-8")
    assert "ada.ipynb" in report or "q6" in report
    assert not re.findall(r"""(?:src|href)=["'](?!data:|#)""", report)

    # the LMS's CSVs
    exported = run("export", "--format", "canvas", "--grades", "out/final_grades.csv", "--roster", "roster.csv",
                   "--out", "canvas.csv")  # fmt: skip
    assert "2 of 2 students on the roster have a grade" in exported.stdout
    canvas = {row[0]: row for row in csv.reader(open(folder / "canvas.csv", newline="", encoding="utf-8"))}
    assert float(canvas["Ada Lovelace"][-1]) == possible + written_points
    assert float(canvas["Alan Turing"][-1]) == 0
    run("export", "--format", "gradescope", "--grades", "out/final_grades.csv", "--roster", "roster.csv",
        "--out", "gradescope.csv")  # fmt: skip
    assert (folder / "gradescope.csv").read_text(encoding="utf-8").count("\n") >= 3


def test_variants_audits_a_master_given_by_its_path(week):
    """The audit needs the master (it runs the solution) but no checkout around it."""
    _, run, _ = week
    audited = run("variants", str(ROOT / "tests" / "fixtures" / "98_variants.md"), "--ids", "5")
    assert re.search(r"^\s*pick\s+shuffled\b", audited.stdout, re.M), audited.stdout
    assert "FAIL" not in audited.stdout
