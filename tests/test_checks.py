"""The answer checks: strict about type, silent about expected values."""

import numpy as np
import pytest

from mlsys_lab.course import checks
from mlsys_lab.course.checks import AnswerError


class AlwaysEqual:
    """What a hostile submission sets an answer to."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0


class SneakyStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class SneakyFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


HOSTILE = [AlwaysEqual(), SneakyStr("Z"), SneakyFloat(0.0)]


# -- multiple choice ---------------------------------------------------------------------------


def test_choice_accepts_correct_letter_any_case():
    checks.expect_choice("c", "C", "q1")
    checks.expect_choice(" C ", "C", "q1")


def test_choice_rejects_wrong_letter_without_revealing_it():
    with pytest.raises(AnswerError) as info:
        checks.expect_choice("A", "C", "q1")
    assert '"C"' not in str(info.value) and "'C'" not in str(info.value)


@pytest.mark.parametrize("answer", [..., None, 3, ["C"], b"C", True] + HOSTILE)
def test_choice_rejects_non_strings_and_impostors(answer):
    with pytest.raises(AnswerError):
        checks.expect_choice(answer, "C", "q1")


def test_choice_format_check_names_the_variable_and_offered_letters():
    with pytest.raises(AnswerError, match=r"q1_answer.*\"A\", \"B\", \"C\", \"D\""):
        checks.check_choice("E", "q1_answer")
    with pytest.raises(AnswerError, match="not been answered"):
        checks.check_choice(..., "q1_answer")


# -- true / false ------------------------------------------------------------------------------


def test_bool_requires_real_bool():
    checks.expect_bool(False, False, "q5")
    for answer in ["False", 0, 1, np.bool_(False), ...] + HOSTILE:
        with pytest.raises(AnswerError):
            checks.expect_bool(answer, False, "q5")
    with pytest.raises(AnswerError):
        checks.expect_bool(True, False, "q5")


# -- napkin math -------------------------------------------------------------------------------


def test_number_within_tolerance_passes_and_outside_fails():
    checks.expect_number(8.33, 8.3333, "hours", unit="hour", rel=0.01)
    checks.expect_number(np.float64(8.3), 8.3333, "hours", unit="hour", rel=0.01)
    with pytest.raises(AnswerError) as info:
        checks.expect_number(9.0, 8.3333, "hours", unit="hour", rel=0.01)
    assert "8.3" not in str(info.value)


def test_number_accepts_quantity_in_other_unit_and_rejects_wrong_dimension():
    from mlsys_lab.units import Q_

    checks.expect_number(Q_(30000, "second"), Q_(8.3333, "hour"), "t", unit="hour")
    with pytest.raises(AnswerError, match="wrong kind of unit"):
        checks.check_number(Q_(7.5, "gigabyte"), "t", unit="hour")


def test_dimensionless_answer_rejects_a_unit():
    from mlsys_lab.units import Q_

    checks.expect_number(Q_(16, "dimensionless"), 16, "ratio")
    with pytest.raises(AnswerError, match="pure number"):
        checks.check_number(Q_(16, "second"), "ratio")


@pytest.mark.parametrize(
    "answer", [..., "8.3", True, float("nan"), float("inf"), [8.3], np.array([8.3]), complex(8.3, 0)] + HOSTILE
)
def test_number_rejects_non_numbers(answer):
    with pytest.raises(AnswerError):
        checks.expect_number(answer, 8.3333, "hours", unit="hour")


def test_number_sign_rules():
    with pytest.raises(AnswerError, match="greater than zero"):
        checks.check_number(0, "x")
    checks.check_number(0, "x", sign="nonnegative")
    with pytest.raises(AnswerError, match="not be negative"):
        checks.check_number(-1, "x", sign="nonnegative")
    checks.check_number(-1, "x", sign="any")


# -- ordering and fill-in ----------------------------------------------------------------------


def test_order():
    items = ["define", "collect", "develop"]
    checks.expect_order(["define", "collect", "develop"], items, "q3")
    with pytest.raises(AnswerError, match="order"):
        checks.expect_order(["collect", "define", "develop"], items, "q3")
    with pytest.raises(AnswerError, match="exactly once"):
        checks.check_order(["define", "define", "develop"], "q3", items)
    for answer in [tuple(items), "define, collect, develop", AlwaysEqual()]:
        with pytest.raises(AnswerError):
            checks.expect_order(answer, items, "q3")


def test_selection_is_a_set_of_offered_labels():
    items = ["psi", "latency_p95", "error_rate"]
    checks.expect_selection(["error_rate", "psi"], ["psi", "error_rate"], "q8", items)
    checks.expect_selection([], [], "q8", items)
    with pytest.raises(AnswerError, match="not the right set") as wrong:
        checks.expect_selection(["psi"], ["psi", "error_rate"], "q8", items)
    assert "error_rate" not in str(wrong.value)  # the missing label is not revealed
    with pytest.raises(AnswerError, match="not the right set"):
        checks.expect_selection(["psi", "error_rate", "latency_p95"], ["psi", "error_rate"], "q8", items)
    with pytest.raises(AnswerError, match="twice"):
        checks.check_selection(["psi", "psi"], "q8", items)
    with pytest.raises(AnswerError, match="not one of the labels"):
        checks.check_selection(["PSI"], "q8", items)
    for answer in [("psi",), "psi", {"psi"}, [1], AlwaysEqual(), ...]:
        with pytest.raises(AnswerError):
            checks.expect_selection(answer, ["psi"], "q8", items)


def test_text_normalization_and_synonyms():
    accepted = ["conservation of complexity"]
    checks.expect_text("Conservation-of  Complexity", accepted, "q7")
    checks.expect_text("conservation of complexity.", accepted, "q7")
    with pytest.raises(AnswerError):
        checks.expect_text("complexity", accepted, "q7")
    with pytest.raises(AnswerError, match="empty"):
        checks.check_text("   ", "q7")
    for answer in [SneakyStr("x"), AlwaysEqual(), 3]:
        with pytest.raises(AnswerError):
            checks.expect_text(answer, accepted, "q7")
