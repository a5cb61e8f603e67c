"""Function exercises: the student writes a function; the grader calls it in the sandbox on
hidden inputs drawn at grading time, with the library's own version disabled, and scores each
case against the reference (``autograder/grading/functions.py``, ``mlsys_lab/course/function_cases.py``).

The mechanism runs on the small fixture master ``tests/fixtures/97_functions.md`` (two function
exercises and one napkin item), graded once as a batch through ``grade`` and through the zip's
``run_autograder``; the chapter masters' solutions are checked against every case set with the
library guarded, without a sandbox.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import _build_masters, build_once

from mlsys_lab.course import function_cases

ROOT = Path(__file__).resolve().parent.parent
NAME = "97_functions"
MASTER = ROOT / "tests" / "fixtures" / f"{NAME}.md"

pytestmark = pytest.mark.xdist_group("function-exercises")  # one worker grades the module's batch (`graded`)

PSI_CASES = 7
EMPTY_BIN_KINDS = ("an empty bin in the new window", "an empty bin in the reference window")

# -------------------------------------------------------------------------------------------
# the case sets themselves (fast)


@pytest.mark.parametrize("name", sorted(function_cases.REGISTRY))
def test_every_draw_holds_every_kind_and_the_reference_answers_it(name):
    case_set = function_cases.get(name)
    kinds = None
    for seed in range(40):
        cases = function_cases.draw(name, seed)
        drawn = [c.kind for c in cases]
        kinds = kinds or drawn
        assert drawn == kinds, f"seed {seed}: the kinds of a draw must not depend on the seed"
        for case in cases:
            json.dumps(case.args)  # plain data: it crosses the sandbox as JSON
            outcome = function_cases.expected(case_set, case.args)
            assert outcome[0] in ("returned", "raised")
            if outcome[0] == "returned":
                assert function_cases.form_problem(case_set, outcome[1]) is None, (seed, case)
    assert function_cases.draw(name, 7) == function_cases.draw(name, 7)
    assert function_cases.draw(name, 7) != function_cases.draw(name, 8)
    assert function_cases.form_problem(case_set, case_set.reference(*case_set.example)) is None


def test_outcomes_are_compared_by_exact_type():
    psi = function_cases.get("psi_monitor")
    pareto = function_cases.get("pareto_designs")
    assert function_cases.same_outcome(psi, ("returned", 0.25), ("returned", 0.25 * (1 + 1e-9)))
    assert not function_cases.same_outcome(psi, ("returned", 1.0), ("returned", True))
    assert not function_cases.same_outcome(psi, ("returned", 0.25), ("returned", "0.25"))
    assert not function_cases.same_outcome(psi, ("returned", 0.25), ("raised", "ValueError"))
    assert function_cases.same_outcome(psi, ("raised", "ValueError"), ("raised", "ValueError"))
    assert not function_cases.same_outcome(psi, ("raised", "ValueError"), ("returned", 0.0))
    assert not function_cases.same_outcome(pareto, ("returned", [0, 2]), ("returned", [2, 0]))
    assert not function_cases.same_outcome(pareto, ("returned", [1]), ("returned", [True]))
    # a numpy scalar is the number it holds (the answers file converts it the same way); a bool is not
    import numpy as np

    assert function_cases.same_outcome(psi, ("returned", 0.25), ("returned", np.float64(0.25)))
    assert function_cases.form_problem(psi, np.float64(0.25)) is None
    assert function_cases.form_problem(psi, np.bool_(True)) is not None


def test_public_check_runs_the_example_only_and_never_shows_a_value():
    from mlsys_lab.course.checks import AnswerError, check_function

    def wrong(expected_shares, observed_shares):
        return 123.456

    check_function(wrong, "psi_monitor")  # form only: a wrong value passes the public check

    def broken(expected_shares, observed_shares):
        raise ZeroDivisionError

    with pytest.raises(AnswerError) as info:
        check_function(broken, "psi_monitor")
    assert "ZeroDivisionError" in str(info.value)
    with pytest.raises(AnswerError, match="plain number"):
        check_function(lambda e, o: "0.2", "psi_monitor")
    with pytest.raises(AnswerError, match="not been written"):
        check_function(..., "psi_monitor")


def test_stage_two_scores_each_case_and_shows_no_free_text_from_the_sandbox():
    from autograder.grading import functions

    exercise = functions.Exercise("psi_monitor", "psi_monitor", "psi_monitor")
    cases = function_cases.draw("psi_monitor", 11)
    case_set = function_cases.get("psi_monitor")

    def outcome(case):
        kind, value = function_cases.expected(case_set, case.args)
        return {"raised": value} if kind == "raised" else {"returned": {"kind": "value", "value": value}}

    right = {"kind": "calls", "outcomes": [outcome(c) for c in cases]}
    assert functions.score_exercise(exercise, 11, right, 4.0).score == pytest.approx(4.0)
    # one case answered with a string holding the number, one malformed, extra outcomes ignored
    forged = {"kind": "calls", "outcomes": [outcome(c) for c in cases] + [{"returned": 1}] * 5}
    forged["outcomes"][0] = {"returned": {"kind": "value", "value": str(forged["outcomes"][0]["returned"]["value"])}}
    forged["outcomes"][1] = {"returned": 0.1, "raised": "ValueError"}
    scored = functions.score_exercise(exercise, 11, forged, 4.0)
    assert [c.passed for c in scored.cases] == [False, False] + [True] * (len(cases) - 2)
    assert scored.score == pytest.approx(4.0 * (len(cases) - 2) / len(cases))
    assert [c.name for c in scored.cases] == [c.kind for c in cases] and all(c.hidden for c in scored.cases)
    shouted = functions.score_exercise(exercise, 11, {"kind": "calls", "why": "<b>see input 0.25</b>"}, 4.0)
    assert shouted.score == 0 and "<b>" not in shouted.note and "0.25" not in shouted.note


# -------------------------------------------------------------------------------------------
# the chapter masters: every function exercise's solution passes every case, library disabled

GUARDED_SOLUTIONS = r"""
import json, sys
sys.path.insert(0, sys.argv[1] + "/autograder/grading")
import runner
from mlsys_lab.course import function_cases
todo = json.loads(sys.stdin.read())
runner._install_guards([{"guards": function_cases.get(t["name"]).guards} for t in todo])
failures = []
for task in todo:
    namespace = {}
    exec(task["source"], namespace)
    function = namespace[task["name"]]
    case_set = function_cases.get(task["name"])
    for seed in range(25):
        for case in function_cases.draw(task["name"], seed):
            want = function_cases.expected(case_set, case.args)
            runner._REFUSING.update(case_set.guards)
            try:
                got = ("returned", function(*case.args))
            except Exception as exc:
                got = ("raised", type(exc).__name__)
            finally:
                runner._REFUSING.clear()
            if not function_cases.same_outcome(case_set, want, got):
                failures.append([task["master"], task["name"], case.kind, got[0]])
print(json.dumps(failures))
"""


def master_functions(master: Path) -> list[dict]:
    """The solution function of each function exercise in a master: ``def <name>(`` code cells
    whose name a hidden test grades with ``expect_function``."""
    text = master.read_text(encoding="utf-8")
    names = set(re.findall(r"expect_function\(\s*(\w+)\s*,", text))
    found = []
    for block in re.findall(r"```\{code-cell\} ipython3\n(def .*?)```", text, re.S):
        tree = ast.parse(block)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in names:
                found.append({"master": master.name, "name": node.name, "source": block})
    return found


def test_every_chapter_master_has_two_function_exercises_whose_solutions_pass_guarded():
    tasks, per_master = [], {}
    for master in sorted((ROOT / "solutions").glob("0[1-6]_*.md")):
        functions = master_functions(master)
        per_master[master.name] = sorted(f["name"] for f in functions)
        tasks += functions
    assert all(len(names) >= 2 for names in per_master.values()), per_master
    assert sum(len(n) for n in per_master.values()) >= 12
    proc = subprocess.run(
        [sys.executable, "-c", GUARDED_SOLUTIONS, str(ROOT)],
        input=json.dumps(tasks),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout) == []


# -------------------------------------------------------------------------------------------
# the mechanism, on the fixture master: one batch through `grade`, then the Gradescope zip

HARD_CODED = """\
def psi_monitor(expected_shares, observed_shares):
    return 0.2282174095733918  # the prompt's example, worked out by hand
"""
NO_FLOOR = """\
def psi_monitor(expected_shares, observed_shares):
    import math
    if len(expected_shares) != len(observed_shares):
        raise ValueError("bins")
    e_total, o_total = sum(expected_shares), sum(observed_shares)
    return sum((o / o_total - e / e_total) * math.log((o / o_total) / (e / e_total))
               for e, o in zip(expected_shares, observed_shares))
"""
LIBRARY = """\
def psi_monitor(expected_shares, observed_shares):
    return ml.drift.psi(expected_shares, observed_shares)
"""
CAPTURED = """\
_psi = ml.drift.psi
from mlsys_lab.science.drift import psi as _psi_too
def psi_monitor(expected_shares, observed_shares):
    return _psi(expected_shares, observed_shares) if len(expected_shares) % 2 else _psi_too(expected_shares, observed_shares)
"""
ENDLESS = """\
def psi_monitor(expected_shares, observed_shares):
    while True:
        try:
            pass
        except BaseException:
            pass
"""


@pytest.fixture(scope="module")
def functions_course(tmp_path_factory):
    return build_once(tmp_path_factory, "functions-course", _build_masters([MASTER]))


def _with_psi(student: nbformat.NotebookNode, solution: nbformat.NotebookNode, psi_source: str | None):
    """The student notebook with the solution's answers and functions, psi_monitor replaced."""
    from autograder.authoring import samples

    nb = samples.fill(student, samples.solution_answers(solution))
    solved = {
        c.source.split("(")[0]: c.source
        for c in solution.cells
        if c.cell_type == "code" and c.source.startswith("def ")
    }
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("def "):
            cell.source = solved[cell.source.split("(")[0]]
            if cell.source.startswith("def psi_monitor") and psi_source is not None:
                cell.source = psi_source
    return nb


SUBMISSIONS = {
    "solution": None,
    "blank": "blank",
    "hard_coded": HARD_CODED,
    "no_floor": NO_FLOOR,
    "library": LIBRARY,
    "captured": CAPTURED,
    "endless": ENDLESS,
}


@pytest.fixture(scope="module")
def graded(functions_course, tmp_path_factory):
    """Every submission graded once by `grade`; (rows by file, feedback by file, cache results)."""
    course = Path(functions_course)
    student = nbformat.read(course / "notebooks" / f"{NAME}.ipynb", as_version=4)
    solution = nbformat.read(course / "dist" / NAME / f"{NAME}.ipynb", as_version=4)
    folder = tmp_path_factory.mktemp("function-submissions")
    for label, psi in SUBMISSIONS.items():
        nb = student if psi == "blank" else _with_psi(student, solution, psi)
        nbformat.write(nb, folder / f"{label}.ipynb")
    out = folder.parent / "function-out"
    command = [
        sys.executable, "-m", "autograder", "grade", "--assignment", NAME, "--submissions", str(folder),
        "--out", str(out), "--autograder", str(course / "dist" / f"{NAME}.zip"), "--workers", "2", "--timeout", "120",
    ]  # fmt: skip
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    rows = {Path(r["file"]).stem: r for r in results["rows"]}
    feedback = {label: (out / "feedback" / f"{label}.ipynb.md").read_text() for label in SUBMISSIONS}
    cached = [json.loads(p.read_text()) for p in (out / ".cache").glob("*.json")]
    return rows, feedback, cached


@pytest.mark.slow
def test_solution_full_marks_blank_zero(graded):
    rows, _, _ = graded
    assert rows["solution"]["scores"] == {"psi_monitor": 4.0, "composed_latency_ms": 2.0, "runs": 1.0}
    assert rows["blank"]["total"] == 0.0
    assert "no answer cell" not in rows["solution"]["status"]


@pytest.mark.slow
def test_a_function_that_hard_codes_the_example_earns_no_hidden_case(graded):
    rows, feedback, _ = graded
    assert rows["hard_coded"]["scores"]["psi_monitor"] == 0.0
    assert rows["hard_coded"]["scores"]["composed_latency_ms"] == 2.0
    assert f"0 of {PSI_CASES} hidden cases passed" in feedback["hard_coded"]


@pytest.mark.slow
def test_wrong_only_on_an_edge_kind_loses_exactly_those_cases_and_names_the_kind(graded):
    rows, feedback, cached = graded
    assert rows["no_floor"]["scores"]["psi_monitor"] == pytest.approx(4.0 * (PSI_CASES - 2) / PSI_CASES, abs=1e-3)
    line = next(x for x in feedback["no_floor"].splitlines() if x.startswith("- psi_monitor:"))
    assert line == f"- psi_monitor: {PSI_CASES - 2} of {PSI_CASES} hidden cases passed; failed on: " + ", ".join(
        EMPTY_BIN_KINDS
    )
    # never an input: no number drawn for any grading appears in any feedback
    seeds = {c["result"]["function_seed"] if "result" in c else c.get("function_seed") for c in cached}
    seeds.discard(None)
    assert seeds
    # (scores, on the "Score" and "##" lines, are the only decimals feedback may show)
    lines = [x for text in feedback.values() for x in text.splitlines() if not x.startswith(("- Score", "## "))]
    shown = set(re.findall(r"\d+(?:\.\d+)?", "\n".join(lines)))
    for seed in seeds:
        for name in ("psi_monitor", "composed_latency_ms"):
            for case in function_cases.draw(name, seed):
                drawn = set(re.findall(r"\d+\.\d+", json.dumps(case.args)))
                assert not drawn & shown, (name, drawn & shown)


@pytest.mark.slow
def test_calling_the_library_earns_nothing_even_through_a_captured_reference(graded):
    rows, feedback, _ = graded
    for label in ("library", "captured"):
        assert rows[label]["scores"]["psi_monitor"] == 0.0, label
        assert "disabled while your function is graded" in feedback[label]
        assert rows[label]["scores"]["composed_latency_ms"] == 2.0  # the notebook's other cells still ran
        assert rows[label]["scores"]["runs"] == 1.0


@pytest.mark.slow
def test_an_endless_function_costs_that_exercise_not_the_notebook(graded):
    rows, feedback, _ = graded
    assert rows["endless"]["scores"] == {"psi_monitor": 0.0, "composed_latency_ms": 2.0, "runs": 1.0}
    assert "ran out of time" in feedback["endless"]


@pytest.mark.slow
def test_the_seed_is_recorded_with_the_result(graded):
    _, _, cached = graded
    seeds = [c.get("result", c).get("function_seed") for c in cached]
    assert all(isinstance(s, int) for s in seeds) and len(set(seeds)) > 1


def _gradescope(zip_path: Path, notebook: bytes, root: Path, mode: str = "bwrap") -> dict:
    for folder in ("source", "submission", "results"):
        (root / folder).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
    (root / "submission" / f"{NAME}.ipynb").write_bytes(notebook)
    env = dict(
        os.environ, MLSYS_AUTOGRADER_ROOT=str(root), MLSYS_AUTOGRADER_PYTHON=sys.executable, MLSYS_SANDBOX="bwrap"
    )
    proc = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((root / "results" / "results.json").read_text())


@pytest.mark.slow
def test_the_gradescope_zip_in_user_mode_calls_the_function_too(functions_course, tmp_path):
    """The fallback for containers without user namespaces (an unprivileged uid) forks and
    limits the calls the same way: the solution earns every case, the endless loop none."""
    course = Path(functions_course)
    student = nbformat.read(course / "notebooks" / f"{NAME}.ipynb", as_version=4)
    solution = nbformat.read(course / "dist" / NAME / f"{NAME}.ipynb", as_version=4)
    scores = {}
    for label in ("solution", "endless"):
        nb = _with_psi(student, solution, SUBMISSIONS[label])
        results = _gradescope(course / "dist" / f"{NAME}.zip", nbformat.writes(nb).encode(), tmp_path / label, "user")
        scores[label] = {t["name"]: t["score"] for t in results["tests"]}
    assert scores["solution"] == {"psi_monitor": 4.0, "composed_latency_ms": 2.0, "runs": 1.0}
    assert scores["endless"] == {"psi_monitor": 0.0, "composed_latency_ms": 2.0, "runs": 1.0}


@pytest.mark.slow
def test_the_gradescope_zip_grades_function_exercises_on_hidden_inputs(functions_course, tmp_path):
    course = Path(functions_course)
    student = nbformat.read(course / "notebooks" / f"{NAME}.ipynb", as_version=4)
    solution = nbformat.read(course / "dist" / NAME / f"{NAME}.ipynb", as_version=4)
    scores = {}
    for label in ("solution", "hard_coded", "no_floor"):
        nb = _with_psi(student, solution, SUBMISSIONS[label])
        results = _gradescope(course / "dist" / f"{NAME}.zip", nbformat.writes(nb).encode(), tmp_path / label)
        scores[label] = {t["name"]: t["score"] for t in results["tests"]}
        if label == "no_floor":
            output = next(t["output"] for t in results["tests"] if t["name"] == "psi_monitor")
            assert "failed on: " + ", ".join(EMPTY_BIN_KINDS) in output
    assert scores["solution"] == {"psi_monitor": 4.0, "composed_latency_ms": 2.0, "runs": 1.0}
    assert scores["hard_coded"]["psi_monitor"] == 0.0
    assert scores["no_floor"]["psi_monitor"] == pytest.approx(4.0 * (PSI_CASES - 2) / PSI_CASES, abs=1e-3)


@pytest.mark.slow
def test_otter_run_does_not_crash_on_function_exercises(functions_course, tmp_path):
    """otter's own grader runs the hidden test in the student's kernel (fixed seeds, all or
    nothing): it grades the solution in full and the hard-coded function at zero, without error."""
    from helpers import grade

    course = Path(functions_course)
    student = nbformat.read(course / "notebooks" / f"{NAME}.ipynb", as_version=4)
    solution = nbformat.read(course / "dist" / NAME / f"{NAME}.ipynb", as_version=4)
    result = grade(_with_psi(student, solution, HARD_CODED), course / "dist" / f"{NAME}.zip", tmp_path, NAME)
    scores = {name: r.score for name, r in result.results.items()}
    assert scores == {"psi_monitor": 0, "composed_latency_ms": 2, "runs": 1}


@pytest.mark.slow
def test_nbgrader_does_not_crash_on_function_exercises(tmp_path):
    """nbgrader grades the hidden test in the student's kernel (fixed seeds, all or nothing): the
    exported course generates, and autograde gives the solution full marks and a blank zero."""
    import shutil

    from test_nbgrader import nbgrader

    course = tmp_path / "course"
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "nbgrader", "--out", str(course), str(MASTER)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    nbgrader(course, "generate_assignment", NAME, "--force")
    release = course / "release" / NAME
    source = nbformat.read(course / "source" / NAME / f"{NAME}.ipynb", as_version=4)
    solved = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells if "nbgrader" in c.metadata}
    for student in ("full", "blank"):
        folder = course / "submitted" / student / NAME
        shutil.copytree(release, folder)
        if student == "full":
            nb = nbformat.read(folder / f"{NAME}.ipynb", as_version=4)
            for cell in nb.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
                if grade_id.endswith("-answer"):
                    cell.source = solved[grade_id]  # the markers are comments
            nbformat.write(nb, folder / f"{NAME}.ipynb")
    nbgrader(course, "autograde", NAME, "--force")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        full, blank = gb.find_submission(NAME, "full"), gb.find_submission(NAME, "blank")
        assert (full.code_score, full.max_code_score) == (7, 7)
        assert blank.code_score == 0
