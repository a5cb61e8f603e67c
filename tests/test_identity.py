"""Whose numbers, in an instant: Gradescope's metadata to a roster id to a personal code.

:mod:`autograder.grading.identity` without grading anything (`make test-fast`); the same rules
end to end, through the zip's ``run_autograder``, are in ``tests/test_gradescope.py``.
"""

from __future__ import annotations

import pytest

from autograder.grading import messages as m
from autograder.grading.identity import (
    RosterError,
    gradescope_identity,
    read_gradescope_roster,
    varied_note,
    with_code,
    zero_varied,
)
from mlsys_lab.course.variants import personal_code

SECRET = "a throwaway secret for the identity tests"
ROSTER = "student_id,email,sid\ns0001,Alice@Example.edu,12 34\ns0002,bob@example.edu,\n"


@pytest.mark.parametrize(
    "user",
    [{"sid": " 12 34 ", "email": ""}, {"sid": "", "email": "ALICE@example.EDU "}, {"sid": "S0001", "email": ""}],
    ids=["sid-with-spaces", "email-in-capitals", "roster-id-in-capitals"],
)
def test_gradescope_ids_are_normalised_then_mapped_through_the_roster(user):
    identity = gradescope_identity({"users": [user]}, ROSTER, SECRET)
    assert (identity.student, identity.missing) == ("s0001", None)
    assert identity.code == personal_code(SECRET, "s0001")


def test_an_account_not_on_the_roster_gets_no_code_and_is_told_why():
    identity = gradescope_identity({"users": [{"sid": "9999", "email": "eve@example.edu"}]}, ROSTER, SECRET)
    assert identity.code is None and identity.student is None
    assert "not on the course roster" in identity.missing and "'9999'" in identity.missing


@pytest.mark.parametrize("metadata", [None, {}, {"users": []}, {"users": [{"sid": "", "email": ""}]}])
def test_without_a_roster_no_usable_id_means_no_code(metadata):
    identity = gradescope_identity(metadata, None, SECRET)
    assert identity.code is None and "no usable student id" in identity.missing


def test_without_the_secret_the_student_is_known_but_has_no_code():
    identity = with_code("s0001", None)
    assert identity.student == "s0001" and identity.code is None
    assert "no copy of the course's variants secret" in identity.missing


@pytest.mark.parametrize(
    "text, says",
    [
        ("email\nalice@example.edu\n", "needs a student_id column"),
        ("student_id,email\ns0001,a@x.edu\ns0002,A@X.edu\n", "line 3: 'a@x.edu' is given to two students"),
        ("student_id\n<script>\n", "line 2: '<script>' is not a roster id"),
    ],
    ids=["no-student-id", "shared-email", "not-an-id"],
)
def test_a_roster_that_cannot_be_used_names_the_line(text, says):
    with pytest.raises(RosterError, match=says):
        read_gradescope_roster(text)


def test_varied_questions_score_0_with_the_reason_and_the_others_keep_theirs():
    tests = {"runs": m.QuestionScore(2.0, 2.0), "pick": m.QuestionScore(1.0, 1.0), "same": m.QuestionScore(1.0, 1.0)}
    zero_varied(tests, ["runs", "pick", "absent"], "no id")
    assert [(q, s.score, s.possible) for q, s in tests.items()] == [("runs", 0, 2), ("pick", 0, 1), ("same", 1, 1)]
    assert tests["runs"].note == "scored 0: this question has numbers of your own, and no id"
    assert varied_note(["runs", "pick"], "no id") == "runs, pick scored 0 (per-student numbers): no id"
