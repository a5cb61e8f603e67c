"""House rules, checked: ruff's formatter and linter (settings in pyproject.toml) are clean, and no
file of the tooling or library is over ``MAX_LINES`` lines but the data tables (issue 24)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MAX_LINES = 600
"""One module per concept: past this many lines a file holds more than one (issue 24, "Shape")."""
OWN_CODE = ("mlsys_lab/", "autograder/", "book/_ext/", "book/_assets/", "benchmarks/", "tests/")
"""The tooling and the library: their Python and the site's own JavaScript."""
GENERATED = ("mlsys_lab/public_tests/",)
"""Written by ``python -m autograder assign``, never by hand (vendored code lives in book/_vendor, book/_lite)."""
DATA_TABLES = {"mlsys_lab/facts/constants.py"}
"""Files allowed past the limit because they are tables of data: sourced constants, one record each."""
DATA_SHARE = 0.8  # a data table: at least this share of its code lines are module-level assignments


def _ruff(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    return subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_code_is_formatted():
    proc = _ruff("format", "--check", ".")
    assert proc.returncode == 0, "run `ruff format .`:\n" + proc.stdout[-3000:]


def test_lint_is_clean():
    proc = _ruff("check", ".")
    assert proc.returncode == 0, proc.stdout[-3000:]


def _own_code() -> list[Path]:
    """Tracked and new (not ignored) Python and JavaScript files of the tooling and the library."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *OWN_CODE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return [
        ROOT / rel
        for rel in sorted(set(listed))
        if rel.endswith((".py", ".js", ".mjs")) and not rel.startswith(GENERATED) and (ROOT / rel).is_file()
    ]


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _data_share(path: Path) -> float:
    """The share of a Python file's code lines (not blank, not comments) inside module-level
    assignments: a table of records such as ``GPU_MTTF = _c("gpu_mttf", ...)``."""
    text = path.read_text(encoding="utf-8")
    data = set()
    for node in ast.parse(text).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            data.update(range(node.lineno, node.end_lineno + 1))
    code = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.lstrip().startswith("#")]
    return sum(n in data for n in code) / len(code) if code else 0.0


def test_no_file_of_the_tooling_or_library_is_over_the_limit():
    files = _own_code()
    assert len(files) > 100 and ROOT / "autograder" / "__main__.py" in files  # the listing found the code
    too_long = [
        f"{path.relative_to(ROOT)}: {_lines(path)} lines"
        for path in files
        if _lines(path) > MAX_LINES and str(path.relative_to(ROOT)) not in DATA_TABLES
    ]
    assert not too_long, f"over {MAX_LINES} lines (split by concept): " + "; ".join(too_long)


def test_each_exempt_file_is_a_data_table_and_needs_the_exemption():
    for rel in sorted(DATA_TABLES):
        path = ROOT / rel
        assert _lines(path) > MAX_LINES, f"{rel} fits in {MAX_LINES} lines: drop it from DATA_TABLES"
        share = _data_share(path)
        assert share >= DATA_SHARE, f"{rel}: only {100 * share:.0f} % of its code lines are data"
