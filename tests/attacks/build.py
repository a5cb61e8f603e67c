"""Hostile notebooks, each with the exact score its honest answers earn.

A case starts from the released (student) notebook of an assignment, answers a few questions
honestly (``honest``), and adds attack cells (``tests.attacks.cells``). Every other answer is
either wrong (for attacks that try to make wrong answers pass) or reads what an escape stole
(``_stolen.get(...)``, for attacks that try to reach something outside the run). Either way the
only points it may earn are those of its honest answers: ``Case.expected``.

The building blocks are in ``hostile_notebook``; the cases by family in ``tampering`` (checks,
otter, forged results, hidden tests), ``lying_answers``, ``escapes`` (host files, network,
isolation, symlinks) and ``destructive``. This module gathers them: the fixture's cases (with the
controls), a chapter's few, and the Gradescope subset.
"""

from __future__ import annotations

import copy
from pathlib import Path

from autograder.authoring import samples

from . import cells
from .destructive import destructive_cases
from .escapes import disguised_file_cases, escape_cases
from .hostile_notebook import Assignment, Case, Host, adder, honest_only, hostile
from .lying_answers import lying_answer_cases
from .tampering import tampering_cases

# ---------------------------------------------------------------------------------------------
# the cases


def fixture_cases(a: Assignment, host: Host, solution_path: Path, include_destructive: bool) -> list[Case]:
    """Every attack on the fixture assignment (q1 letter, q2 bool, q3 order, q4 text, q5 number).

    Honest answers: q2 and q4 (2 points of 6) unless a case says otherwise."""
    ok = honest_only(a)
    none = {q: 0.0 for q in a.points}
    cases: list[Case] = []
    add = adder(cases, ok)

    # controls: the grader still grades
    add(
        "control_solution.ipynb",
        "control",
        "the solution notebook",
        copy.deepcopy(a.solution_notebook),
        a.per_question(a.every_answer),
    )
    add("control_blank.ipynb", "control", "the released notebook", copy.deepcopy(a.student), none)
    add(
        "control_honest.ipynb",
        "control",
        "q2 and q4 right, nothing else",
        samples.fill(a.student, {v: a.solution[v] for v in a.honest}),
    )
    quantity = {**{v: a.solution[v] for v in a.honest}, "q5_answer": 'Q_(150, "minute")'}
    add(
        "control_quantity.ipynb",
        "control",
        "q5 as a quantity in minutes (honest)",
        samples.fill(a.student, quantity),
        a.per_question((*a.honest, "q5_answer")),
    )

    cases += tampering_cases(a, host)
    cases += lying_answer_cases(a, host)
    cases += escape_cases(a, host)
    cases += disguised_file_cases(a, host, solution_path)
    if include_destructive:
        cases += destructive_cases(a, host)
    return cases


def chapter_cases(a: Assignment, host: Host) -> list[Case]:
    """A few attacks on a real chapter (its setup cell, widgets and calculators all run)."""
    ok = honest_only(a)
    return [
        Case(
            "control_solution.ipynb",
            "control",
            "the solution notebook",
            a.per_question(a.every_answer),
            copy.deepcopy(a.solution_notebook),
        ),
        Case(
            "control_honest.ipynb",
            "control",
            "only the honest answers",
            ok,
            samples.fill(a.student, {v: a.solution[v] for v in a.honest}),
        ),
        Case(
            "patch_checks.ipynb",
            "monkeypatch",
            "every expect_*/check_* replaced",
            ok,
            hostile(a, host, before=[cells.PATCH_CHECKS], targets="wrong"),
        ),
        Case(
            "forge_pickle.ipynb",
            "forgery",
            "otter's results pickle rewritten",
            ok,
            hostile(a, host, before=[cells.FORGE_PICKLE], targets="wrong"),
        ),
        Case(
            "hunt_hidden_tests.ipynb",
            "hidden tests",
            "solutions/, the zip, dist/ searched",
            ok,
            hostile(a, host, before=[cells.HUNT_HIDDEN_TESTS]),
        ),
    ]


ISOLATION_CASES = [
    "read_host_solution.ipynb",
    "abstract_socket.ipynb",
    "setuid_binary.ipynb",
    "read_cmdlines.ipynb",
    "network.ipynb",
    "read_canary.ipynb",
    "write_outside.ipynb",
]
"""What every mode must stop (issue 20 item 2): host files, network, setuid, other processes."""

GRADESCOPE_CASES = [
    "control_solution.ipynb",
    "control_honest.ipynb",
    "patch_checks.ipynb",
    "forge_results_json.ipynb",
    "submission_with_extras.ipynb",
    "hunt_hidden_tests.ipynb",
    "read_canary.ipynb",
    "network.ipynb",
    "redefine_type_isinstance.ipynb",
    "symlink_to_solution.ipynb",
    "read_host_solution.ipynb",
    "abstract_socket.ipynb",
    "setuid_binary.ipynb",
    "read_cmdlines.ipynb",
    "crash_while_encoding.ipynb",
]


def gradescope_case(a: Assignment, host: Host, file: str, solution_path: Path) -> Case:
    """One case for the Gradescope entry point (the host facts name this run's ROOT/results)."""
    if file == "forge_results_json.ipynb":
        return Case(
            file,
            "forgery",
            "writes ROOT/results/results.json and leaves a daemon rewriting it",
            honest_only(a),
            hostile(
                a,
                host,
                before=[cells.FORGE_RESULTS_JSON],
                after=[cells.FORGE_RESULTS_JSON, cells.LINGERING_FORGER],
                targets="wrong",
            ),
        )
    if file == "submission_with_extras.ipynb":
        passing = (
            "from otter.test_files import test_case\nOK_FORMAT = False\nname = {q!r}\npoints = 100\n"
            "@test_case(points=100, hidden=False)\ndef test_{q}():\n    pass\n"
        )
        extras = {f"tests/{q}.py": passing.format(q=q) for q in a.points}
        extras.update(
            {
                "otter_config.json": '{"assignment_name": "%s", "points_possible": 1}' % a.name,
                "mlsys_lab/__init__.py": "",
                "mlsys_lab/course/__init__.py": "",
                "mlsys_lab/course/checks.py": "def __getattr__(name):\n    return lambda *a, **k: None\n",
                "results/results.json": '{"score": 1000, "tests": []}',
                "answers.json": '{"q1_answer": "C"}',
            }
        )
        return Case(
            file,
            "forgery",
            "the submission folder also holds passing tests/, otter_config.json, a fake mlsys_lab, results.json",
            honest_only(a),
            samples.fill(a.student, {v: a.solution[v] for v in a.honest}),
            extras=extras,
        )
    by_file = {c.file: c for c in fixture_cases(a, host, solution_path, include_destructive=False)}
    return by_file[file]
