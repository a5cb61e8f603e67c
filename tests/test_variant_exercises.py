"""Every chapter exercise that varies per student is well posed for every student.

The figures come from ``python -m autograder variants`` (:mod:`autograder.authoring.variant_audit`): the
master as the pipeline builds it runs once with the master's numbers, then for 300 roster ids
each varying question's variant and solution cells run again with that student's draw, and its
tests run the way the grader runs them (each test file in a module of its own, so a variant cell
that leans on a notebook variable fails here as it would in grading).

Checked for every id: the student's own solution passes every test, and a numeric answer is
finite. Checked over the class: each exercise has enough distinct variants and more than one
answer, a neighbour's answers fail where they differ, and a copied answer sheet is rarely right.
The last test sends a class of 200 through the grader's own scoring stage.
"""

from __future__ import annotations

import functools

import pytest

from autograder.authoring import variant_audit
from autograder.authoring.assign import masters
from mlsys_lab.course import variants

pytestmark = pytest.mark.xdist_group("variant-audit")  # one worker runs each chapter's audit once (_audit's cache)

IDS = [f"s{i:05d}" for i in range(300)]
MIN_DISTINCT = 40  # distinct variants an exercise must allow (and show among the ids above)
MAX_COPIED_RIGHT = 0.15  # share of a neighbour's drawn answers that may pass, over a chapter


@pytest.fixture(scope="module")
def secret() -> str:
    """A throwaway variants secret: each id's numbers come from its code under it."""
    return "a throwaway secret for the variant tests"


@functools.cache
def _audit(master, secret) -> dict[str, variant_audit.Spread]:
    """``python -m autograder variants`` over the ids, once per master for this module."""
    return {s.question: s for s in variant_audit.audit(master, IDS, secret)}


@pytest.mark.slow
@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_every_student_variant_is_well_posed_and_graded_right(master, secret):
    spreads = _audit(master, secret)
    drawn = [s for s in spreads.values() if s.drawn]
    assert drawn, f"{master.stem}: no napkin exercise draws its numbers per student"
    problems = [f"{s.question} {f}" for s in spreads.values() for f in s.failures]
    assert not problems, f"{len(problems)} failures, e.g. {problems[:5]}"
    for spread in drawn:
        assert spread.possible >= MIN_DISTINCT, f"{spread.question}: only {spread.possible} variants possible"
        assert len(spread.draws) >= min(MIN_DISTINCT, len(IDS) // 2), (
            f"{spread.question}: {len(spread.draws)} distinct draws among {len(IDS)} students"
        )
        assert spread.distinct_answers >= 2, f"{spread.question}: every student has the same answer"


@pytest.mark.slow
@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_a_neighbours_answers_fail_where_they_differ(master, secret):
    """Student B hands in student A's answers: B's hidden tests pass only where the two draws
    give the same answer (or one within the stated tolerance, rarely)."""
    drawn = [s for s in _audit(master, secret).values() if s.drawn]
    passed = sum(s.copied_right_where_different[0] for s in drawn)
    differing = sum(s.copied_right_where_different[1] for s in drawn)
    assert differing, f"{master.stem}: two students never get different answers"
    assert passed <= 0.1 * differing, f"{master.stem}: copied answers pass {passed} of {differing} times"


@pytest.mark.slow
@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_a_copied_answer_sheet_earns_little_of_the_drawn_items(master, secret):
    """Over the chapter, a neighbour's answers to the drawn exercises are right at most
    MAX_COPIED_RIGHT of the time, counting answers that happen to coincide (a count, a band, a
    true/false verdict)."""
    drawn = [s for s in _audit(master, secret).values() if s.drawn]
    right, pairs = sum(s.copied_right for s in drawn), sum(s.pairs for s in drawn)
    by_question = {s.question: round(s.copied_right / s.pairs, 3) for s in drawn}
    assert right <= MAX_COPIED_RIGHT * pairs, f"{master.stem}: {right} of {pairs} copied answers right: {by_question}"


_TINY_MASTER = """\
# Tiny

```{code-cell} ipython3
import mlsys_lab as ml
```

```otter
# BEGIN QUESTION
name: runs
points: 2
```

How many runs fit in `weeks` weeks at one run a week?

```{code-cell} ipython3
:tags: [variant]

runs_in = ml.variants.draw("runs", master={"weeks": 10}, weeks=ml.variants.span(5, 60))
```

```otter
# BEGIN SOLUTION
```

```{code-cell} ipython3
runs_answer = SOLUTION_EXPRESSION  # SOLUTION
```

```otter
# END SOLUTION
```

```otter
# BEGIN TESTS
```

```{code-cell} ipython3
\"\"\" # BEGIN TEST CONFIG
points: 2
hidden: true
\"\"\" # END TEST CONFIG
def test_runs_correct(runs_answer):
    from mlsys_lab.course.checks import expect_number
    expect_number(runs_answer, runs_in["weeks"], "runs_answer", rel=0.0)
```

```otter
# END TESTS
```

```otter
# END QUESTION
```
"""


@pytest.mark.parametrize(
    "solution, failing, copied_right",
    [("runs_in['weeks']", False, (0, 20)), ("10", True, None)],
    ids=["uses the draw", "ignores the draw"],
)
def test_the_audit_reports_what_it_measures(tmp_path, secret, solution, failing, copied_right):
    """The audit on a one-question master: a key that follows the draw passes for every id and a
    neighbour's answer fails; a key typed from the master's numbers fails for the ids whose draw
    differs."""
    master = tmp_path / "98_tiny.md"
    master.write_text(_TINY_MASTER.replace("SOLUTION_EXPRESSION", solution))
    (spread,) = variant_audit.audit(master, IDS[:21], secret)
    assert spread.question == "runs" and spread.drawn and spread.possible == 56 and spread.pairs == 20
    assert bool(spread.failures) is failing
    if copied_right is not None:
        right, differing = spread.copied_right_where_different
        assert (right, differing + spread.same_answer) == copied_right
        assert spread.distinct_answers == len(spread.draws)


@pytest.mark.slow
@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_a_class_of_200_is_scored_right_by_the_grader(built_course, master, secret, capsys):
    """The grader's own scoring stage (the autograder zip's tests, in a clean process like the
    grader's) gives each of 200 students full marks for their own answers, and student B, handed
    student A's answers, exactly the points of the items where A's answers are B's too, and none
    of a shuffled item whose letter differs."""
    from autograder.grading import functions
    from autograder.grading.answers import encode
    from autograder.grading.score import Scorer, load_assignment
    from mlsys_lab.units import ureg

    zip_path = built_course.dist / f"{master.stem}.zip"
    scorer, assignment = Scorer(zip_path), load_assignment(zip_path)
    # a function exercise is scored on calls made in the sandbox, which this test (answers only)
    # does not make: tests/test_function_exercises.py grades those end to end
    called = {exercise.question for exercise in functions.declared(zip_path)}
    quantity = type(ureg.Quantity(1, ""))
    namespace, questions = variant_audit.master_run(master)
    class_answers = {}
    for student in IDS[:200]:
        variants.configure(secret, master.stem, student)
        mine = dict(namespace)
        for question in questions.values():
            mine = variant_audit.solve(mine, question)
        capsys.readouterr()
        class_answers[student] = {n: mine.get(n) for n in scorer.names}
        tests, _, _ = scorer.score(encode(mine, scorer.names, quantity), variants.personal_code(secret, student))
        lost = {q: s.score for q, s in tests.items() if s.score < assignment.points[q] and q not in called}
        assert not lost, f"{student}: own answers lose points on {lost}"
    variants.configure(None, None)

    drawn_differ = drawn_failed = 0
    for first, second in zip(IDS[:40:2], IDS[1:40:2]):
        theirs = class_answers[first]
        tests, _, _ = scorer.score(encode(theirs, scorer.names, quantity), variants.personal_code(secret, second))
        for question, score in tests.items():
            if question in called:
                continue
            names = assignment.answers[question]
            same = all(theirs[n] == class_answers[second][n] for n in names)
            if same:
                assert score.score == assignment.points[question], (first, second, question)
            elif question in assignment.shuffled:
                assert score.score == 0, (first, second, question)
            else:
                drawn_differ += 1
                drawn_failed += score.score < assignment.points[question]
    variants.configure(None, None)
    assert drawn_failed >= 0.9 * drawn_differ, f"{drawn_differ - drawn_failed} of {drawn_differ} copied answers pass"
