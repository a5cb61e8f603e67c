"""Tolerances designed against wrong methods (issue 21, item 5): the harness.

A napkin item's master lists, in its ```` ```item ```` fence, the plausible wrong methods a
student might use (forgetting to compound, rounding instead of flooring, megabytes for
megabits), each as a Python expression over the names the solution line uses. For every
napkin item (a question graded with a tolerance, ``expect_number``) and every roster id, this
harness builds the master the way ``assign`` does and, with the machinery of
:mod:`autograder.authoring.variant_audit` (the student's draw, the solution cells, the tests run the way
the grader runs them):

* runs the right method (the master's solution) and checks it passes every test;
* evaluates each wrong method's expression in the same namespace, puts its value in the answer
  variable and checks that at least one test FAILS (the student loses points).

A wrong method that passes for some id *slips* there: the tolerance (or the draw's range) lets
the wrong method through. ``python -m autograder.authoring.question_quality`` reports the slips per
chapter; ``tests/test_question_quality.py`` holds every master to none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from autograder.authoring import items as item_fences
from autograder.authoring import variant_audit

RIGHT = "right method"


@dataclass
class MethodRun:
    """How one method of one napkin item fared over the ids."""

    question: str
    method: str  # a wrong method's name, or RIGHT
    expression: str
    ids: int = 0
    slipped: list[str] = field(default_factory=list)  # ids where a wrong method passed / the right one failed
    errors: list[str] = field(default_factory=list)  # ids where the expression could not be evaluated

    @property
    def ok(self) -> bool:
        return not self.slipped and not self.errors

    def describe(self) -> str:
        what = "fails" if self.method == RIGHT else "passes"
        parts = []
        if self.slipped:
            shown = ", ".join(self.slipped[:5]) + (" ..." if len(self.slipped) > 5 else "")
            parts.append(f"{what} for {len(self.slipped)} of {self.ids} ids ({shown})")
        if self.errors:
            parts.append(f"cannot be evaluated for {len(self.errors)} ids ({self.errors[0]})")
        return f"{self.question}: {self.method}: " + "; ".join(parts)


def _answer_variable(question: variant_audit.Question, namespace: dict) -> list[str]:
    return list(variant_audit.answers(question, namespace))


def _value(expression: str, namespace: dict):
    value = eval(compile(expression, "<wrong method>", "eval"), dict(namespace))  # noqa: S307 - the master's own text
    magnitude = getattr(value, "magnitude", value)
    if isinstance(magnitude, float) and not math.isfinite(magnitude):
        raise ValueError(f"not finite: {value}")
    return value


def audit(master: Path, ids: list[str], secret: str) -> list[MethodRun]:
    """Every napkin item's right method and listed wrong methods over ``ids`` (see the module
    docstring). Items whose fence lists no wrong method still have their right method run."""
    from mlsys_lab.course import variants

    facts = item_fences.question_facts(master)
    fences = item_fences.parse_master(master)
    napkins = [name for name, fact in facts.items() if fact.kind == "napkin"]
    if not napkins:
        return []
    namespace, questions = variant_audit.master_run(master, every=True)
    runs: list[MethodRun] = []
    plan = []
    for name in napkins:
        if name not in questions:
            continue
        right = MethodRun(name, RIGHT, "the master's solution")
        wrong = [
            MethodRun(name, m.name, m.expression) for m in (fences.get(name).wrong_methods if name in fences else [])
        ]
        variables = [m.variable for m in fences[name].wrong_methods] if name in fences else []
        plan.append((questions[name], right, list(zip(wrong, variables))))
        runs += [right, *wrong]
    try:
        for student in ids:
            variants.configure(secret, master.stem, student)
            for question, right, wrong in plan:
                mine = variant_audit.solve(namespace, question)
                right.ids += 1
                if variant_audit.run_tests(question, mine):
                    right.slipped.append(student)
                names = _answer_variable(question, mine)
                for run, variable in wrong:
                    run.ids += 1
                    target = variable or (names[0] if len(names) == 1 else None)
                    if target is None:
                        run.errors.append(f"{student}: the question has answers {names}: say which with variable:")
                        continue
                    try:
                        value = _value(run.expression, mine)
                    except Exception as exc:  # noqa: BLE001 - any failure is the finding
                        run.errors.append(f"{student}: {type(exc).__name__}: {exc}")
                        continue
                    if not variant_audit.run_tests(question, {**mine, target: value}):
                        run.slipped.append(student)
    finally:
        variants.configure(None, None)
    return runs
