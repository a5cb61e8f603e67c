"""House rules, checked: ruff's formatter and linter (settings in pyproject.toml) are clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ruff(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    return subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_code_is_formatted():
    proc = _ruff("format", "--check", ".")
    assert proc.returncode == 0, "run `ruff format .`:\n" + proc.stdout[-3000:]


def test_lint_is_clean():
    proc = _ruff("check", ".")
    assert proc.returncode == 0, proc.stdout[-3000:]
