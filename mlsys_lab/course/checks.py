"""Answer checks used by the notebooks' public and hidden tests.

Every exercise in a chapter notebook stores the student's answer in a named variable
(``q1_answer``, ``upload_hours``, ...). The otter tests call the functions below, and only
these, so that every question is judged by the same rules:

* ``check_*`` functions are the **public** format checks a student runs with
  ``grader.check(...)``. They look at the *shape* of an answer (a letter among the offered
  ones, a number of the right dimension, a list of the right items) and never at its value,
  so they can never reveal the expected answer. They carry no points.
* ``expect_*`` functions are the **hidden** checks, which live only in the autograder. They
  compare with the expected value and raise a short message that does not contain it.

Both are strict about types: an answer must be exactly a ``str``, ``bool``, ``list``, a real
number, or a quantity from the course's unit registry. An object that merely claims to equal
everything (a custom ``__eq__``), a ``str`` subclass, or a number hidden in a string earns
nothing. See the student guide, "How answers are checked".
"""

from __future__ import annotations

import math
import numbers
import unicodedata

__all__ = [
    "AnswerError",
    "check_choice",
    "check_bool",
    "check_function",
    "expect_function",
    "check_number",
    "check_order",
    "check_selection",
    "check_text",
    "expect_choice",
    "expect_bool",
    "expect_number",
    "expect_order",
    "expect_selection",
    "expect_text",
    "forms_checked",
    "reset_forms_checked",
]

LETTERS = ("A", "B", "C", "D")


class AnswerError(AssertionError):
    """A check failed; the message is written for the student."""


def _fail(message: str) -> None:
    raise AnswerError(message)


# --------------------------------------------------------------------------------------------
# what the public checks verified (read by mlsys_lab.course.notebook to word grader.check's message)

_FORMS_CHECKED: list[tuple[str, str]] = []
"""``(answer name, form)`` for each public check that passed since :func:`reset_forms_checked`."""


def _form_ok(name: str, form: str) -> None:
    _FORMS_CHECKED.append((name, form))
    del _FORMS_CHECKED[:-100]  # a long session never grows this without bound


def reset_forms_checked() -> None:
    """Forget what earlier checks recorded (called before each ``grader.check``)."""
    _FORMS_CHECKED.clear()


def forms_checked() -> list[tuple[str, str]]:
    """``(answer name, form)`` for each format check that passed since the last reset.

    ``form`` says in plain words what was verified (e.g. "one of the letters A, B, C, D"),
    never anything about the expected value.
    """
    return list(_FORMS_CHECKED)


def _unanswered(answer: object) -> bool:
    return answer is Ellipsis or answer is None


def _describe(answer: object) -> str:
    """Name the type of an answer in plain words, without echoing its value."""
    kind = type(answer)
    if kind.__module__ == "builtins":
        return f"a value of type {kind.__name__}"
    return f"an object of type {kind.__module__}.{kind.__qualname__}"


def _require_answered(answer: object, name: str) -> None:
    if _unanswered(answer):
        _fail(f"{name} has not been answered yet: replace the ... with your answer.")


# --------------------------------------------------------------------------------------------
# multiple choice


def check_choice(answer: object, name: str, options: tuple[str, ...] = LETTERS) -> None:
    """Public check: ``answer`` is one of the offered letters, as a plain string."""
    _require_answered(answer, name)
    offered = ", ".join(f'"{o}"' for o in options)
    if type(answer) is not str:
        _fail(f"{name} should be one letter in quotes, one of {offered}; got {_describe(answer)}.")
    if answer.strip().upper() not in options:
        _fail(f"{name} should be one of the letters {offered}.")
    _form_ok(name, f"one of the letters {', '.join(options)}")


def expect_choice(answer: object, correct: str, name: str, options: tuple[str, ...] = LETTERS) -> None:
    """Hidden check: the letter is the correct one (case and spaces ignored)."""
    check_choice(answer, name, options)
    if answer.strip().upper() != correct.upper():
        _fail(f"{name}: that is not the best option. Reread the section the question follows.")


# --------------------------------------------------------------------------------------------
# true / false


def check_bool(answer: object, name: str) -> None:
    """Public check: ``answer`` is ``True`` or ``False`` (not a string, not 0/1)."""
    _require_answered(answer, name)
    if type(answer) is not bool:
        _fail(f"{name} should be True or False, without quotes; got {_describe(answer)}.")
    _form_ok(name, "True or False")


def expect_bool(answer: object, correct: bool, name: str) -> None:
    """Hidden check: the truth value is the correct one."""
    check_bool(answer, name)
    if answer is not correct:
        _fail(f"{name}: that verdict is not right. Look for the number that decides it.")


# --------------------------------------------------------------------------------------------
# napkin math


def _registry_quantity_class():
    """The Quantity class of the course's one registry (imported lazily: pint is slow)."""
    from ..units import ureg

    return ureg.Quantity


def _is_real(x: object) -> bool:
    """A real number of a plain numeric type (bool excluded; numpy scalars allowed)."""
    if type(x) is bool:
        return False
    if type(x) in (int, float):
        return True
    module = type(x).__module__
    return module == "numpy" and isinstance(x, numbers.Real) and not isinstance(x, (bool,))


def _magnitude(answer: object, name: str, unit: str | None) -> float:
    """Return the answer's value as a float in ``unit``; fail on anything else."""
    if _is_real(answer):
        value = float(answer)
    else:
        quantity_class = _registry_quantity_class()
        if type(answer) is not quantity_class:
            if unit:
                _fail(
                    f"{name} should be a number (in {unit}) or a quantity with a unit from "
                    f"mlsys_lab; got {_describe(answer)}."
                )
            _fail(f"{name} should be a plain number; got {_describe(answer)}.")
        if unit is None:
            if not answer.dimensionless:
                _fail(f"{name} should be a pure number (a ratio or a count), but it has a unit.")
            magnitude = answer.to("dimensionless").magnitude
        else:
            target = quantity_class(1, unit)
            if answer.dimensionality != target.dimensionality:
                _fail(
                    f"{name} has the wrong kind of unit: expected something convertible to "
                    f"{unit}, got {answer.units:~}."
                )
            magnitude = answer.to(unit).magnitude
        if not _is_real(magnitude):
            _fail(f"{name} should hold a single number, not {_describe(magnitude)}.")
        value = float(magnitude)
    if not math.isfinite(value):
        _fail(f"{name} should be a finite number.")
    return value


def check_number(answer: object, name: str, unit: str | None = None, sign: str = "positive") -> None:
    """Public check: a finite real number (or quantity convertible to ``unit``) with ``sign``.

    ``sign`` is ``"positive"``, ``"nonnegative"`` or ``"any"``. A plain number is read in
    ``unit``; a quantity is converted to it.
    """
    _require_answered(answer, name)
    value = _magnitude(answer, name, unit)
    if sign == "positive" and not value > 0:
        _fail(f"{name} should be greater than zero.")
    if sign == "nonnegative" and value < 0:
        _fail(f"{name} should not be negative.")
    if unit is None:
        _form_ok(name, "a plain number, a count or a ratio without a unit")
    else:
        _form_ok(name, f"a number in {unit}, or a quantity with a unit convertible to {unit}")


def expect_number(
    answer: object,
    correct: object,
    name: str,
    unit: str | None = None,
    rel: float = 0.01,
    sign: str = "positive",
) -> None:
    """Hidden check: the answer is within relative tolerance ``rel`` of ``correct``.

    ``correct`` is computed by the test from an ``mlsys_lab`` calculator (a number in ``unit``
    or a quantity), never typed in.
    """
    check_number(answer, name, unit, sign)
    value = _magnitude(answer, name, unit)
    expected = _expected_value(correct, unit)
    if not math.isclose(value, expected, rel_tol=rel, abs_tol=0.0 if expected else 1e-12):
        _fail(
            f"{name} is not within {rel:.0%} of the expected result. Check each input and the "
            "units (bits vs bytes, hours vs seconds, percent vs fraction)."
        )


def _expected_value(correct: object, unit: str | None) -> float:
    if hasattr(correct, "to") and hasattr(correct, "magnitude"):
        return float(correct.to(unit or "dimensionless").magnitude)
    return float(correct)


# --------------------------------------------------------------------------------------------
# ordering


def check_order(answer: object, name: str, items: list[str]) -> None:
    """Public check: a list holding each of ``items`` exactly once, in any order."""
    _require_answered(answer, name)
    if type(answer) is not list:
        _fail(f"{name} should be a list in square brackets; got {_describe(answer)}.")
    if any(type(item) is not str for item in answer):
        _fail(f"{name} should hold only the quoted labels offered in the question.")
    if sorted(answer) != sorted(items):
        _fail(f"{name} should use each offered label exactly once ({len(items)} labels).")
    _form_ok(name, f"a list using each of the {len(items)} offered labels once")


def expect_order(answer: object, correct: list[str], name: str) -> None:
    """Hidden check: the labels are in the correct order."""
    check_order(answer, name, sorted(correct))
    if list(answer) != list(correct):
        _fail(f"{name}: the order is not right yet. Think about what each step needs first.")


# --------------------------------------------------------------------------------------------
# selection: which of the offered labels apply (any number of them, in any order)


def check_selection(answer: object, name: str, items: list[str]) -> None:
    """Public check: a list of distinct labels, each one of ``items``; the empty list is allowed
    (none apply). Says nothing about which labels belong in it."""
    _require_answered(answer, name)
    if type(answer) is not list:
        _fail(f"{name} should be a list in square brackets, e.g. [] or [{items[0]!r}]; got {_describe(answer)}.")
    if any(type(item) is not str for item in answer):
        _fail(f"{name} should hold only quoted labels.")
    unknown = [item for item in answer if item not in items]
    if unknown:
        _fail(f"{name}: {unknown[0]!r} is not one of the labels offered ({', '.join(items)}).")
    if len(set(answer)) != len(answer):
        _fail(f"{name} names a label twice; list each label once.")
    _form_ok(name, f"a list of distinct labels from the {len(items)} offered")


def expect_selection(answer: object, correct: list[str], name: str, items: list[str]) -> None:
    """Hidden check: exactly the labels in ``correct`` (order does not matter)."""
    check_selection(answer, name, items)
    if set(answer) != set(correct):
        _fail(f"{name}: that is not the right set of labels yet.")


# --------------------------------------------------------------------------------------------
# fill in the blank


def normalize_text(text: str) -> str:
    """Fold case, accents, hyphens and spacing so that small typing differences do not count."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = folded.lower().replace("-", " ").replace("_", " ")
    kept = "".join(ch for ch in folded if ch.isalnum() or ch.isspace())
    return " ".join(kept.split())


def check_text(answer: object, name: str, max_words: int = 6) -> None:
    """Public check: a short non-empty plain string."""
    _require_answered(answer, name)
    if type(answer) is not str:
        _fail(f"{name} should be a short text in quotes; got {_describe(answer)}.")
    words = normalize_text(answer).split()
    if not words:
        _fail(f"{name} is empty: write the missing term in the quotes.")
    if len(words) > max_words:
        _fail(f"{name} should be a short term of at most {max_words} words.")
    _form_ok(name, f"a short text in quotes, at most {max_words} words")


def expect_text(answer: object, accepted: list[str], name: str, max_words: int = 6) -> None:
    """Hidden check: the normalized answer is one of the accepted spellings."""
    check_text(answer, name, max_words)
    if normalize_text(answer) not in {normalize_text(a) for a in accepted}:
        _fail(f"{name}: that term is not the one the section uses.")


# --------------------------------------------------------------------------------------------
# function exercises (the student writes a function; see mlsys_lab.course.function_cases)


def _function_or_fail(function: object, name: str) -> None:
    if _unanswered(function):
        _fail(f"{name} has not been written yet: define it with def {name}(...):")
    if type(function).__name__ != "function" or not callable(function):
        _fail(f"{name} should be a function defined with def {name}(...):; got {_describe(function)}.")


def check_function(function: object, name: str) -> None:
    """Public check: ``function`` is a function that runs on the prompt's example and returns
    an output of the right form. It never compares the output with the expected one."""
    from mlsys_lab.course import function_cases

    _function_or_fail(function, name)
    case_set = function_cases.get(name)
    try:
        value = function(*case_set.example)
    except Exception as exc:  # noqa: BLE001 -- the student's own error, named for them
        _fail(f"{name} raised {type(exc).__name__} on the example of the prompt.")
    problem = function_cases.form_problem(case_set, value)
    if problem:
        _fail(f"{name} {problem}.")
    form = {"number": "a plain number", "count": "a whole number", "indices": "a list of positions"}[case_set.returns]
    _form_ok(name, f"a function that runs on the prompt's example and returns {form}")


def expect_function(function: object, name: str) -> None:
    """Hidden check for runs in the student's own kernel (``otter assign`` checking the master's
    solution, ``otter run``, nbgrader): calls ``function`` on the cases of the fixed
    :data:`~mlsys_lab.course.function_cases.ASSIGN_SEEDS` and compares with the reference,
    all or nothing. The course grader (``grade``, the Gradescope zip) does not use this: it calls
    the function in its sandbox on freshly drawn inputs with the library's own version disabled,
    and scores each case (``autograder/grading/functions.py``)."""
    from mlsys_lab.course import function_cases

    _function_or_fail(function, name)
    case_set = function_cases.get(name)
    failed = []
    for seed in function_cases.ASSIGN_SEEDS:
        for case in function_cases.draw(name, seed):
            try:
                got = ("returned", function(*case.args))
            except Exception as exc:  # noqa: BLE001 -- compared by type name, as in the grader
                got = ("raised", type(exc).__name__)
            want = function_cases.expected(case_set, case.args)
            if not function_cases.same_outcome(case_set, want, got) and case.kind not in failed:
                failed.append(case.kind)
    if failed:
        _fail(f"{name} failed on: {', '.join(failed)}.")
