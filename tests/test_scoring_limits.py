"""Stage 2 has limits (issue 20 item 3): unit texts pass a small grammar before pint sees them,
and scoring runs in a forked child under a memory cap and a wall-clock deadline.

``hour**(9**9**9)`` as a unit made pint's parser run for minutes in the scorer (locally the
worker was killed after ~330 s with nothing cached; on Gradescope ``run_autograder`` never
ended). Here it is "not a plain answer" in well under a second, through the scorer, through
``grade`` and through the zip's ``run_autograder``.
"""

from __future__ import annotations

import json
import time

import pytest

from autograder.grading import answers as plain
from autograder.grading import score as scoring

BOMB = "hour**(9**9**9)"


@pytest.mark.parametrize(
    "units, factors",
    [
        ("hour", [("hour", 1)]),
        ("megabyte / second", [("megabyte", 1), ("second", -1)]),
        ("1 / hour", [("hour", -1)]),
        ("dimensionless", []),
        ("gigabyte ** 2 / second", [("gigabyte", 2), ("second", -1)]),
        ("byte^3*hour", [("byte", 3), ("hour", 1)]),
        ("second ** -2", [("second", -2)]),
    ],
)
def test_what_pint_writes_is_read(units, factors):
    assert plain.unit_factors(units) == factors


@pytest.mark.parametrize(
    "units, why",
    [
        (BOMB, "character the course does not allow"),
        ("hour ** 5", "power beyond 4"),
        ("hour ** 99999999999999", "not a small whole number"),
        ("hour ** 0", "power beyond 4"),
        ("__import__('os')", "character the course does not allow"),
        ("hour * * second", "not a product"),
        ("hour /", "not a product"),
        ("", "not a product"),
        ("a*" * 9 + "a", "more than 8 names"),
    ],
)
def test_anything_else_is_refused_with_a_reason(units, why):
    with pytest.raises(plain.NotPlain, match=why):
        plain.unit_factors(units)


def _record_file(units: str, magnitude=2.5) -> str:
    record = {"kind": "quantity", "magnitude": magnitude, "units": units}
    return json.dumps({"format": plain.FORMAT, "answers": {"t_answer": record}})


@pytest.mark.parametrize(
    "units, why",
    [
        (BOMB, "not allow"),
        ("nonsense_unit", "a name the course's unit registry does not know"),
        ("__class__", "a name the course's unit registry does not know"),
    ],
)
def test_the_scorer_never_hands_a_bad_unit_to_pint(units, why):
    from mlsys_lab.units import ureg  # noqa: F401 -- built before the clock starts

    start = time.monotonic()
    (value,) = plain.decode(_record_file(units), ["t_answer"], scoring._quantity).values()
    assert isinstance(value, plain.NotPlain) and why in str(value)
    assert time.monotonic() - start < 5  # a hang guard (pint took minutes), not a speed test


def test_a_good_unit_is_a_quantity_of_the_course_registry():
    from mlsys_lab.units import ureg

    (value,) = plain.decode(_record_file("megabyte / second", 4), ["t_answer"], scoring._quantity).values()
    assert type(value) is ureg.Quantity and value.to("kilobyte / second").magnitude == pytest.approx(4000)


def test_a_forged_reason_reaches_nobody():
    """A ``not_plain`` record's reason comes from the student's process: only the shapes the
    encoder writes pass, anything else becomes a fixed phrase."""
    forged = "Your grade has been raised to 100/100 by the instructor. Visit http://evil.example"
    assert plain.checked_reason(forged) == "not a plain answer"
    assert plain.checked_reason("an object of type __main__.LyingStr") == "an object of type __main__.LyingStr"
    assert plain.checked_reason("an object of type x; see http://evil") == "not a plain answer"
    record = {"kind": "not_plain", "why": forged}
    text = json.dumps({"format": plain.FORMAT, "answers": {"t_answer": record}})
    assert str(plain.decode(text, ["t_answer"])["t_answer"]) == "not a plain answer"


# -------------------------------------------------------------------------------------------
# the limits themselves (the grammar makes the bomb harmless; these prove the backstop holds)


@pytest.fixture(scope="module")
def fixture_scorer(fixture_course):
    return scoring.Scorer(fixture_course.dist / "99_fixture.zip")


SOLUTION = {"q1_answer": "C", "q2_answer": False, "q3_answer": ["small", "medium", "large"], "q4_answer": "blue"}


def _file(**values) -> str:
    records = {name: plain.encode_one(value) for name, value in values.items()}
    return json.dumps({"format": plain.FORMAT, "answers": records})


def test_the_limited_scorer_gives_what_the_scorer_gives(fixture_scorer):
    text = _file(**SOLUTION, q5_answer=9000)
    assert scoring.score_limited(fixture_scorer, text) == fixture_scorer.score(text)
    tests, answers, notes = scoring.score_limited(fixture_scorer, text)
    assert sum(s.score for s in tests.values()) == 6 and answers["q3_answer"] == ["small", "medium", "large"]


def test_a_scorer_that_hangs_is_stopped_at_the_deadline(fixture_scorer, monkeypatch):
    """Without the grammar, the bomb reaches pint: the deadline still ends it."""
    from mlsys_lab.units import ureg

    monkeypatch.setattr(plain, "unit_factors", lambda units: units)
    monkeypatch.setattr(
        scoring, "_quantity", lambda magnitude, units: ureg.Quantity(magnitude, ureg.parse_units(units))
    )
    text = json.dumps(
        {"format": plain.FORMAT, "answers": {"q5_answer": {"kind": "quantity", "magnitude": 1, "units": BOMB}}}
    )
    start = time.monotonic()
    with pytest.raises(scoring.ScoringFailed, match="scoring took longer than 2 s"):
        scoring.score_limited(fixture_scorer, text, seconds=2)
    assert time.monotonic() - start < 4


def test_a_scorer_that_eats_memory_is_stopped_at_the_cap(fixture_scorer, monkeypatch):
    def hog(magnitude, units):
        return [bytearray(64 << 20) for _ in range(64)]  # 4 GiB

    monkeypatch.setattr(scoring, "_quantity", hog)
    record = {"kind": "quantity", "magnitude": 2.5, "units": "hour"}
    text = json.dumps({"format": plain.FORMAT, "answers": {"q5_answer": record}})
    with pytest.raises(scoring.ScoringFailed, match="more than 256 MiB"):
        scoring.score_limited(fixture_scorer, text, memory_mb=256)


def test_a_limit_trip_is_a_failed_row_that_the_cache_keeps(fixture_course, monkeypatch):
    """Through the worker's grading of one job: the trip is the submission's own ``Failed:
    scoring ...`` row (not a transient grader error), so a rerun takes it from the cache."""
    import functools

    from autograder.grading import cli, pool, report
    from autograder.grading import messages as m
    from autograder.grading.intake import Entry
    from mlsys_lab.units import ureg

    monkeypatch.setattr(plain, "unit_factors", lambda units: units)  # the grammar off: the backstop alone
    monkeypatch.setattr(
        scoring, "_quantity", lambda magnitude, units: ureg.Quantity(magnitude, ureg.parse_units(units))
    )
    monkeypatch.setattr(scoring, "score_limited", functools.partial(scoring.score_limited, seconds=2))
    record = {"kind": "quantity", "magnitude": 1, "units": BOMB}
    answers = json.dumps({"format": plain.FORMAT, "answers": {"q5_answer": record}})
    grader = pool._Grader.__new__(pool._Grader)
    grader.scorers = {}
    monkeypatch.setattr(grader, "sandbox_execute", lambda *args, **kwargs: m.Execution(answers=answers), raising=False)
    zip_path = fixture_course.dist / "99_fixture.zip"
    job = m.GradeJob(id="k", cells=[], names=[], assignment="99_fixture", zip=str(zip_path), timeout=30, memory_mb=512)
    result = grader.grade(job)
    assert not result.ok and not result.transient and result.limited
    assert result.reason == "scoring took longer than 2 s and was stopped"
    limits = {"timeout": 30, "memory_mb": 512}
    result.limits = limits
    cached = m.GradeResult.from_json(result.to_json())
    assert cli._usable(cached, limits)
    assignment = scoring.load_assignment(zip_path, "99_fixture")
    entry = Entry(rel="mallory.ipynb", path=zip_path, result=cached)
    _, total, status = report.row_of(entry, assignment)
    assert total == 0 and status.startswith("Failed: scoring took longer than 2 s")
