"""Function exercises in the course grader: hidden inputs out, one score per case back.

A master declares a function exercise with a hidden test that calls
``expect_function(<function>, "<case set>")`` (``solutions/README.md``, "Function exercises");
the case set (reference, generator of hidden inputs, kinds, guards) lives in
:mod:`mlsys_lab.course.function_cases`. For each submission the worker, which is trusted,

1. finds the exercises in the autograder's tests (:func:`declared`);
2. draws the hidden inputs from a seed the notebook never holds: a fresh one per grading unless
   the job fixes it, recorded in the result (``GradeResult.function_seed``) so that the scoring
   can be reproduced (:func:`new_seed`, :func:`execute_payload`);
3. sends them with the cells to the sandbox, where :mod:`~autograder.grading.runner` calls the
   student's function on them with the library's own version disabled, and brings back each
   outcome as plain data in the answers file (a ``calls`` record);
4. recomputes the expected outputs with the reference on the same inputs and scores each case
   (:func:`rescore`): the question's points are shared equally among its cases. The feedback
   names the kinds of case that failed ("failed on: an empty bin"), never an input or an
   expected output.

``otter run`` and nbgrader run the hidden test itself in the student's kernel instead (the fixed
seeds of ``function_cases.ASSIGN_SEEDS``, all or nothing, library not disabled): only ``grade``
and the Gradescope zip's ``run_autograder`` grade function exercises on hidden inputs.
"""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from . import answers as plain
from . import messages as m

EXPECT_CALL = re.compile(r"expect_function\(\s*(\w+)\s*,\s*[\"'](\w+)[\"']")
"""How a hidden test declares a function exercise: ``expect_function(psi_monitor, "psi_monitor")``."""


@dataclass(frozen=True)
class Exercise:
    """A function exercise of an assignment: its question, the student's function, its case set."""

    question: str
    function: str
    case_set: str


def declared(zip_path: Path) -> list[Exercise]:
    """The function exercises an autograder zip (or its unpacked folder) declares."""
    from .score import _read_zip

    _, tests, _ = _read_zip(zip_path)
    found = []
    for member, source in sorted(tests.items()):
        for match in EXPECT_CALL.finditer(source):
            found.append(Exercise(Path(member).stem, match.group(1), match.group(2)))
    return found


@functools.lru_cache(maxsize=16)
def declared_once(zip_path: str) -> list[Exercise]:
    """:func:`declared`, read once per autograder a worker grades with."""
    return declared(Path(zip_path))


def new_seed() -> int:
    """A fresh seed for one grading (never derived from anything the notebook holds)."""
    return secrets.randbits(62)


def execute_payload(exercises: list[Exercise], seed: int) -> list[dict]:
    """What the sandbox needs per exercise: the function's name, the guarded library
    functions, the inputs (plain data) and the time limit per call."""
    from mlsys_lab.course import function_cases

    payload = []
    for exercise in exercises:
        case_set = function_cases.get(exercise.case_set)
        payload.append(
            {
                "name": exercise.function,
                "guards": list(case_set.guards),
                "cases": [list(case.args) for case in function_cases.draw(exercise.case_set, seed)],
                "seconds": case_set.call_seconds,
            }
        )
    return payload


def rescore(tests: dict, exercises: list[Exercise], seed: int, answers_text: str | None) -> None:
    """Replace each function exercise's question score in ``tests`` by its per-case score."""
    try:
        records = plain.parse(answers_text) if answers_text is not None else {}
    except plain.BadAnswersFile:
        records = {}
    for exercise in exercises:
        previous = tests.get(exercise.question)
        possible = previous.possible if previous is not None else 0.0
        tests[exercise.question] = score_exercise(exercise, seed, records.get(exercise.function), possible)


def score_exercise(exercise: Exercise, seed: int, record, possible: float) -> m.QuestionScore:
    """Score one exercise's ``calls`` record against the reference on the seed's cases."""
    from mlsys_lab.course import function_cases

    case_set = function_cases.get(exercise.case_set)
    cases = function_cases.draw(exercise.case_set, seed)
    outcomes, why = _outcomes(record, len(cases), exercise.function)
    each = possible / len(cases) if cases else 0.0
    results, failed, stopped, refused = [], [], False, False
    for case, outcome in zip(cases, outcomes):
        got = _outcome(outcome)
        passed = function_cases.same_outcome(case_set, function_cases.expected(case_set, case.args), got)
        results.append(m.CaseResult(name=case.kind, hidden=True, points=each, passed=passed))
        if not passed and case.kind not in failed:
            failed.append(case.kind)
        stopped = stopped or got[0] == "stopped"
        refused = refused or got == ("raised", "NotImplementedError")
    score = each * sum(r.passed for r in results)
    return m.QuestionScore(
        score=score,
        possible=possible,
        cases=results,
        note=_note(exercise, results, why, failed, stopped, refused, case_set),
    )


def _outcomes(record, count: int, function: str) -> tuple[list, str | None]:
    """The outcomes of a ``calls`` record, padded to ``count``, and why there are none. The
    record comes from the student's process: its reason is shown only if it is one the runner
    writes, never as free text."""
    if type(record) is not dict or record.get("kind") != "calls":
        return [None] * count, "no outcomes of the function were recorded"
    if type(record.get("outcomes")) is not list:
        known = (f"{function} was never defined", f"{function} is not a function defined with def")
        why = record.get("why")
        return [None] * count, why if why in known else "the function could not be called"
    outcomes = list(record["outcomes"])[:count]
    return outcomes + [None] * (count - len(outcomes)), None


def _outcome(outcome) -> tuple[str, object]:
    """A call's outcome as ``(what, value)``; anything malformed is ``("stopped", ...)``."""
    if type(outcome) is not dict or len(outcome) != 1:
        return "stopped", "no outcome"
    if type(outcome.get("raised")) is str:
        return "raised", outcome["raised"][:60]
    if "returned" in outcome:
        value = plain._rebuild(outcome["returned"], _quantity)
        if isinstance(value, plain.NotPlain) or value is Ellipsis:
            return "not_plain", str(value)
        return "returned", value
    return "stopped", "time"


def _quantity(magnitude, units: str):
    from mlsys_lab.units import ureg

    return ureg.Quantity(magnitude, ureg.parse_units(units))


def _note(exercise: Exercise, results: list, why, failed: list, stopped: bool, refused: bool, case_set) -> str:
    passed = sum(r.passed for r in results)
    head = f"{exercise.function}: {passed} of {len(results)} hidden cases passed"
    if why:
        return f"{head} ({why})"
    if not failed:
        return head
    parts = [f"{head}; failed on: {', '.join(failed)}"]
    if refused:
        parts.append("it called the library's own version, which is disabled while your function is graded")
    if stopped:
        parts.append(f"a call ran out of time ({case_set.call_seconds:g} s per call)")
    return "; ".join(parts)
