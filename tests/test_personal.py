"""``python -m autograder personal`` and ``codes``: each roster id's personal code, in a notebook
or a CSV for the LMS; ``secret new`` makes the secret both derive it from."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from autograder.authoring.personal import PersonalError, personalise, roster_ids
from autograder.common.conventions import is_setup_cell
from mlsys_lab.course.variants import personal_code

RELEASED = ROOT / "notebooks" / "01_ml_lifecycle.ipynb"
SECRET = "a throwaway secret for the personal tests"


def _setup_source(text: str) -> str:
    cells = json.loads(text)["cells"]
    return next("".join(c["source"]) for c in cells if is_setup_cell("".join(c["source"])))


def test_the_code_is_filled_in_and_nothing_else_changes():
    text = RELEASED.read_text(encoding="utf-8")
    mine = personalise(text, "s1001", SECRET)
    assert f'PERSONAL_CODE = "{personal_code(SECRET, "s1001")}"' in _setup_source(mine)
    assert 'PERSONAL_CODE = ""' in _setup_source(text)
    assert is_setup_cell(_setup_source(mine))  # so the grader still replaces it, code and all
    before, after = json.loads(text), json.loads(mine)
    changed = [b for a, b in zip(before["cells"], after["cells"]) if a != b]
    assert len(before["cells"]) == len(after["cells"]) and is_setup_cell("".join(changed[0]["source"]))
    # besides the setup cell, only the options' Markdown, shown in this student's order
    assert all("".join(c["source"]).startswith("<!-- mlsys-options") for c in changed[1:])


def test_the_same_id_gives_the_same_bytes_and_two_ids_differ():
    text = RELEASED.read_text(encoding="utf-8")
    assert personalise(text, "s1001", SECRET) == personalise(text, "s1001", SECRET)
    assert personalise(text, "s1001", SECRET) != personalise(text, "s1002", SECRET)


def test_nothing_a_student_holds_gives_a_classmates_code():
    """The student's notebook holds their code, never the secret nor another student's code, and
    the released notebook and public checks hold no secret at all; the code is an HMAC of the
    secret, so without it a classmate's code (and numbers) cannot be computed."""
    text = RELEASED.read_text(encoding="utf-8")
    mine = personalise(text, "s1001", SECRET)
    held = [mine, *(p.read_text(encoding="utf-8") for p in (ROOT / "mlsys_lab" / "public_tests").rglob("*.py"))]
    classmates = [personal_code(SECRET, f"s{i}") for i in range(1002, 1100)]
    for found in held:
        assert SECRET not in found and not any(code in found for code in classmates)
    assert "salt" not in _setup_source(text).lower() and "secret" not in _setup_source(mine).lower()


@pytest.mark.parametrize("bad", ["", "a b", "../x", "x" * 65])
def test_a_bad_id_is_refused(bad):
    with pytest.raises(PersonalError, match="not a roster id"):
        personalise(RELEASED.read_text(encoding="utf-8"), bad, SECRET)


def test_a_notebook_without_a_setup_cell_is_refused():
    with pytest.raises(PersonalError, match="no setup cell"):
        personalise(json.dumps({"cells": [{"cell_type": "code", "source": "x = 1"}]}), "s1", SECRET)


def test_roster_errors_name_the_line(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("file,student_id\na.ipynb,s1\nb.ipynb,s1\nc.ipynb,bad id\n")
    with pytest.raises(PersonalError, match="line 4"):
        roster_ids(roster)
    roster.write_text("file,name\na.ipynb,Ann\n")
    with pytest.raises(PersonalError, match="student_id column"):
        roster_ids(roster)


def _secret_file(tmp_path) -> Path:
    path = tmp_path / "secret"
    path.write_text(SECRET + "\n")
    return path


def test_the_command_writes_one_notebook_per_id(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("file,student_id\na.ipynb,s1\nb.ipynb,s2\nc.ipynb,s1\n")
    command = [sys.executable, "-m", "autograder", "personal", "01_ml_lifecycle"]
    env = dict(os.environ, MLSYS_VARIANTS_SECRET_FILE=str(_secret_file(tmp_path)))
    proc = subprocess.run([*command, "--roster", str(roster), "--out", str(tmp_path / "out")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.ipynb"))
    assert written == ["s1/01_ml_lifecycle.ipynb", "s2/01_ml_lifecycle.ipynb"]
    assert personal_code(SECRET, "s2") in (tmp_path / "out" / "s2" / "01_ml_lifecycle.ipynb").read_text()
    bad = subprocess.run([*command, "--roster", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o2")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)  # fmt: skip
    assert bad.returncode == 1 and "cannot read the roster" in bad.stderr
    env.pop("MLSYS_VARIANTS_SECRET_FILE")
    none = subprocess.run([*command, "--roster", str(roster), "--out", str(tmp_path / "o3")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)  # fmt: skip
    assert none.returncode == 1 and "--secret-file" in none.stderr and not (tmp_path / "o3").exists()


def test_codes_writes_one_row_per_roster_id(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("file,student_id\na.ipynb,s1\nb.ipynb,s2\nc.ipynb,s1\nd.ipynb,Ann.Lee@x.org\n")
    out = tmp_path / "codes.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "codes", "--roster", str(roster), "--out", str(out),
         "--secret-file", str(_secret_file(tmp_path))],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["student_id"] for r in rows] == ["s1", "s2", "Ann.Lee@x.org"]
    assert all(r["code"] == personal_code(SECRET, r["student_id"]) for r in rows)
    assert len({r["code"] for r in rows}) == 3


def test_secret_new_makes_a_private_file_and_never_overwrites(tmp_path):
    path = tmp_path / "keys" / "variants-secret"
    command = [sys.executable, "-m", "autograder", "secret", "new", str(path)]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    secret = path.read_text().strip()
    assert len(secret) >= 32 and (path.stat().st_mode & 0o777) == 0o600
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "exists" in again.stderr and path.read_text().strip() == secret
    inside = subprocess.run([*command[:-1], str(ROOT / "variants-secret")], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert inside.returncode == 1 and "inside the course repository" in inside.stderr
    assert not (ROOT / "variants-secret").exists()
