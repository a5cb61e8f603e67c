"""Attacks on the grader's code and results: the course's checks and otter's classes patched,
results forged, the hidden tests hunted on disk (issue 10 item 4). Every wrong answer must stay wrong.
"""

from __future__ import annotations

from . import cells
from .hostile_notebook import Assignment, Case, Host, adder, honest_only, hostile


def tampering_cases(a: Assignment, host: Host) -> list[Case]:
    """Checks and otter patched, results and caches forged, hidden tests hunted."""
    ok = honest_only(a)
    cases: list[Case] = []
    add = adder(cases, ok)

    # the course's checks
    add(
        "patch_checks.ipynb",
        "monkeypatch",
        "every mlsys_lab.course.checks.expect_*/check_* replaced by a no-op",
        hostile(a, host, before=[cells.PATCH_CHECKS], targets="wrong"),
    )
    add(
        "fake_checks_module.ipynb",
        "monkeypatch",
        "sys.modules['mlsys_lab.course.checks'] swapped for a module that passes all",
        hostile(a, host, before=[cells.FAKE_CHECKS_MODULE], targets="wrong"),
    )
    add(
        "shadow_package.ipynb",
        "monkeypatch",
        "a fake mlsys_lab package written into the run's folders and put first on sys.path",
        hostile(a, host, before=[cells.SHADOW_PACKAGE], targets="wrong"),
    )

    # otter's classes
    add(
        "otter_test_case_result.ipynb",
        "otter",
        "TestCaseResult.__init__ forces passed=True",
        hostile(a, host, before=[cells.OTTER_TEST_CASE_RESULT], targets="wrong"),
    )
    add(
        "otter_grading_results.ipynb",
        "otter",
        "GradingResults.__init__ marks every test passed and full score",
        hostile(a, host, before=[cells.OTTER_GRADING_RESULTS], targets="wrong"),
    )
    add(
        "otter_test_file.ipynb",
        "otter",
        "ExceptionTestFile.run overridden to full score",
        hostile(a, host, before=[cells.OTTER_TEST_FILE], targets="wrong"),
    )

    # forged results
    add(
        "forge_pickle.ipynb",
        "forgery",
        "rewrites otter's results pickle after the export cell (post_run_cell + atexit)",
        hostile(a, host, before=[cells.FORGE_PICKLE], targets="wrong"),
    )
    add(
        "forge_answer_files.ipynb",
        "forgery",
        "injects score/test keys into every JSON file it can reach, after every cell",
        hostile(a, host, before=[cells.FORGE_ANSWER_FILES], targets="wrong"),
    )
    add(
        "poison_cache.ipynb",
        "forgery",
        "overwrites OUT/.cache/*.json (other students' cached results) and OUT/grades.csv",
        hostile(a, host, after=[cells.POISON_CACHE], targets="wrong"),
    )
    add(
        "lingering_forger.ipynb",
        "forgery",
        "leaves a daemon rewriting OUT/grades.csv for 90 s",
        hostile(a, host, after=[cells.LINGERING_FORGER], targets="wrong"),
    )

    # hidden tests on disk
    add(
        "hunt_hidden_tests.ipynb",
        "hidden tests",
        "walks / and /proc/*/cmdline for the zip, tests/*.py, masters, solutions, other submissions",
        hostile(a, host, before=[cells.HUNT_HIDDEN_TESTS]),
    )

    return cases
