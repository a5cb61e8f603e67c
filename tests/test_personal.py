"""``python -m autograder personal``: the released notebook once per roster id, id filled in."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import ROOT

from autograder.conventions import is_setup_cell
from autograder.personal import PersonalError, personalise, roster_ids

RELEASED = ROOT / "notebooks" / "01_ml_lifecycle.ipynb"


def _setup_source(text: str) -> str:
    cells = json.loads(text)["cells"]
    return next("".join(c["source"]) for c in cells if is_setup_cell("".join(c["source"])))


def test_the_id_is_filled_in_and_nothing_else_changes():
    text = RELEASED.read_text(encoding="utf-8")
    mine = personalise(text, "s1001")
    assert 'ROSTER_ID = "s1001"' in _setup_source(mine)
    assert 'ROSTER_ID = ""' in _setup_source(text)
    assert is_setup_cell(_setup_source(mine))  # so the grader still replaces it, id and all
    before, after = json.loads(text), json.loads(mine)
    changed = [i for i, (a, b) in enumerate(zip(before["cells"], after["cells"])) if a != b]
    assert len(changed) == 1 and len(before["cells"]) == len(after["cells"])


def test_the_same_id_gives_the_same_bytes_and_two_ids_differ():
    text = RELEASED.read_text(encoding="utf-8")
    assert personalise(text, "s1001") == personalise(text, "s1001")
    assert personalise(text, "s1001") != personalise(text, "s1002")


@pytest.mark.parametrize("bad", ["", "a b", "../x", "x" * 65])
def test_a_bad_id_is_refused(bad):
    with pytest.raises(PersonalError, match="not a roster id"):
        personalise(RELEASED.read_text(encoding="utf-8"), bad)


def test_a_notebook_without_a_setup_cell_is_refused():
    with pytest.raises(PersonalError, match="no setup cell"):
        personalise(json.dumps({"cells": [{"cell_type": "code", "source": "x = 1"}]}), "s1")


def test_roster_errors_name_the_line(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("file,student_id\na.ipynb,s1\nb.ipynb,s1\nc.ipynb,bad id\n")
    with pytest.raises(PersonalError, match="line 4"):
        roster_ids(roster)
    roster.write_text("file,name\na.ipynb,Ann\n")
    with pytest.raises(PersonalError, match="student_id column"):
        roster_ids(roster)


def test_the_command_writes_one_notebook_per_id(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("file,student_id\na.ipynb,s1\nb.ipynb,s2\nc.ipynb,s1\n")
    command = [sys.executable, "-m", "autograder", "personal", "01_ml_lifecycle"]
    proc = subprocess.run([*command, "--roster", str(roster), "--out", str(tmp_path / "out")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.ipynb"))
    assert written == ["s1/01_ml_lifecycle.ipynb", "s2/01_ml_lifecycle.ipynb"]
    bad = subprocess.run([*command, "--roster", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o2")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert bad.returncode == 1 and "cannot read the roster" in bad.stderr
