"""Helpers shared by the test modules (not fixtures: plain functions)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def question_points(tests_dir: Path) -> dict[str, float]:
    """Points of every autograded question, read with otter's own test-file parser."""
    from otter.test_files.exception_test import ExceptionTestFile

    points = {}
    for test in sorted(tests_dir.glob("*.py")):
        parsed = ExceptionTestFile.from_file(str(test))
        points[parsed.name] = float(sum(case.points for case in parsed.test_cases))
    return points


def grade(notebook: nbformat.NotebookNode, autograder_zip: Path, tmp_path: Path, name: str):
    """Grade one notebook with otter's containerless grader; return the GradingResults."""
    from otter.api import grade_submission

    from autograder.authoring.kernels import repoll_kernel_channels

    repoll_kernel_channels()  # an upstream lost wake-up can otherwise hang a widget cell

    path = tmp_path / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return grade_submission(str(path), str(autograder_zip), quiet=True)


def secrets_of(master: Path, tests_dir: Path) -> list[str]:
    """Text a student must never see: solution lines, rubric lines and hidden-test checks."""
    secrets = []
    text = master.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.rstrip().endswith("# SOLUTION"):
            secrets.append(line.rsplit("# SOLUTION", 1)[0].strip())
    for block in re.findall(r"```otter\n# BEGIN SOLUTION\n```(.*?)```otter\n# END SOLUTION", text, re.S):
        for line in block.splitlines():
            stripped = line.strip()
            # a function exercise's signature is the student's starting point, not a secret
            signature = re.fullmatch(r"def \w+\(.*\):", stripped)
            if len(stripped) > 24 and not stripped.startswith("```") and "# SOLUTION" not in stripped and not signature:
                secrets.append(stripped)
    for test in tests_dir.glob("*.py"):
        source = test.read_text()
        for match in re.finditer(r"@test_case\([^)]*hidden=True[^)]*\)\n(def .*?)(?=\n@test_case|\Z)", source, re.S):
            for line in match.group(1).splitlines():
                if "expect_" in line:
                    secrets.append(line.strip())
    return [s for s in secrets if s]
