"""grader.check words a public check as a check of FORM, never as "correct" (issue 11, §6)."""

import pickle
import re
import textwrap
from pathlib import Path

import nbformat
import pytest

from mlsys_lab.course import notebook


def _empty_notebook(folder, name):
    nbformat.write(nbformat.v4.new_notebook(), str(folder / name))


PUBLIC_TESTS = {
    "q1": ("check_choice(q1_answer, 'q1_answer')", "q1_answer"),
    "q2": ("check_bool(q2_answer, 'q2_answer')", "q2_answer"),
    "days": ("check_number(days_answer, 'days_answer', unit='day')", "days_answer"),
    "q6": ("check_order(q6_answer, 'q6_answer', ['a', 'b', 'c'])", "q6_answer"),
    "q7": ("check_text(q7_answer, 'q7_answer')", "q7_answer"),
    "q8": ("check_selection(q8_answer, 'q8_answer', ['psi', 'error_rate'])", "q8_answer"),
}


@pytest.fixture
def grader(tmp_path, monkeypatch):
    """A course grader over public checks written exactly as `autograder assign` writes them."""
    tests = tmp_path / "tests"
    tests.mkdir()
    for question, (call, variable) in PUBLIC_TESTS.items():
        (tests / f"{question}.py").write_text(
            textwrap.dedent(f"""\
            from otter.test_files import test_case

            OK_FORMAT = False

            name = "{question}"
            points = 1

            @test_case(points=0, hidden=False)
            def test_{question}_format({variable}):
                from mlsys_lab.course.checks import {call.split("(")[0]}
                {call}
            """)
        )
    monkeypatch.chdir(tmp_path)
    _empty_notebook(tmp_path, "nb.ipynb")
    return notebook._form_checking_notebook_class()("nb.ipynb", tests_dir=str(tests))


@pytest.mark.parametrize(
    "question, env, form_words",
    [
        ("q1", {"q1_answer": "D"}, "one of the letters A, B, C, D"),
        ("q2", {"q2_answer": True}, "True or False"),
        ("days", {"days_answer": 20}, "a number in day"),
        ("q6", {"q6_answer": ["c", "a", "b"]}, "each of the 3 offered labels"),
        ("q7", {"q7_answer": "no idea"}, "a short text"),
        ("q8", {"q8_answer": ["psi"]}, "a list of distinct labels from the 2 offered"),
        ("q8", {"q8_answer": []}, "a list of distinct labels from the 2 offered"),
    ],
)
def test_a_well_formed_answer_is_reported_as_form_only(grader, question, env, form_words):
    # Values chosen without looking at any key: the message must not depend on being right.
    result = grader.check(question, env)
    shown, html = repr(result), result._repr_html_()
    for text in (shown, html):
        assert "All test cases passed" not in text
        assert "passed!" not in text
        assert "form OK" in text
        assert "graded after you hand in" in text
        assert form_words in text
    assert shown.startswith(f"{question}: form OK")


def test_the_issue_example_says_form_not_correct(grader):
    result = grader.check("days", {"days_answer": 20})
    assert repr(result) == (
        "days: form OK (a number in day, or a quantity with a unit convertible to day); "
        "whether it is right is graded after you hand in."
    )


@pytest.mark.parametrize(
    "question, env, expected",
    [
        ("q1", {"q1_answer": 3}, "one letter in quotes"),
        ("q1", {"q1_answer": "E"}, 'one of the letters "A", "B", "C", "D"'),
        ("q2", {"q2_answer": "True"}, "True or False, without quotes"),
        ("days", {"days_answer": "20"}, "a number (in day)"),
        ("q6", {"q6_answer": ["a", "b"]}, "each offered label exactly once"),
        ("q8", {"q8_answer": ["psi", "psi"]}, "names a label twice"),
        ("q8", {"q8_answer": ["PSI"]}, "is not one of the labels offered"),
    ],
)
def test_a_wrong_form_names_what_was_expected(grader, question, env, expected):
    result = grader.check(question, env)
    assert not result.passed_all
    shown = repr(result)
    assert shown.startswith(f"{question}: form not OK")
    assert expected in shown
    assert "form OK (" not in shown
    assert "Error at line" not in shown  # the test's source, which could leak, is not shown
    assert expected.replace('"', "&quot;") in result._repr_html_()


def test_result_stays_an_otter_result(grader):
    from otter.test_files import TestFile

    result = grader.check("q1", {"q1_answer": "A"})
    assert isinstance(result, TestFile)
    assert result.passed_all and result.score == 0
    clone = pickle.loads(pickle.dumps(result))  # otter pickles results into its log
    assert repr(clone) == repr(result)


def test_hidden_tests_keep_otters_wording(tmp_path, monkeypatch):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "q1.py").write_text(
        textwrap.dedent("""\
        from otter.test_files import test_case

        OK_FORMAT = False

        name = "q1"
        points = 1

        @test_case(points=1, hidden=True)
        def test_q1_correct(q1_answer):
            assert q1_answer == "B"
        """)
    )
    monkeypatch.chdir(tmp_path)
    _empty_notebook(tmp_path, "nb.ipynb")
    grader = notebook._form_checking_notebook_class()("nb.ipynb", tests_dir=str(tests))
    assert "All test cases passed" in repr(grader.check("q1", {"q1_answer": "B"}))


def test_start_returns_the_form_wording_grader(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _empty_notebook(tmp_path, "01_ml_lifecycle.ipynb")
    grader = notebook.start("01_ml_lifecycle")
    result = grader.check("q1", {"q1_answer": "A"})
    assert repr(result).startswith("q1: form OK (one of the letters A, B, C, D)")


def test_check_reads_the_callers_globals_as_in_a_notebook_cell(grader):
    cell_globals = {"grader": grader, "days_answer": 20}
    exec("shown = repr(grader.check('days'))", cell_globals)
    assert cell_globals["shown"].startswith("days: form OK")


def test_a_fresh_process_can_unpickle_a_worded_result(grader, tmp_path):
    # otter pickles results into its log and reads them back in another process when
    # grader.export validates a hand-in; that process has not built the worded class yet.
    import subprocess
    import sys

    result = grader.check("q1", {"q1_answer": "C"})
    path = tmp_path / "result.pkl"
    path.write_bytes(pickle.dumps(result))
    shown = subprocess.run(
        [sys.executable, "-c", f"import pickle; print(repr(pickle.load(open({str(path)!r}, 'rb'))))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert shown == repr(result)


def test_check_all_reports_form_only_too(grader):
    cell_globals = {
        "grader": grader,
        "q1_answer": "B",
        "q2_answer": False,
        "days_answer": 3,
        "q6_answer": ["a", "b", "c"],
        "q7_answer": 7,
    }
    exec("shown = repr(grader.check_all())", cell_globals)
    shown = cell_globals["shown"]
    assert "All test cases passed" not in shown
    assert shown.count("form OK (") == 4
    assert "q7: form not OK yet" in shown and "short text in quotes" in shown


def test_hand_in_words_otters_report_as_form_checks(monkeypatch, capsys):
    """``hand_in`` keeps otter's export (the zip, the fresh run of the public checks) but never
    prints "All test cases passed!", which students read as "correct"."""
    from mlsys_lab.course import notebook

    class Grader:
        def export(self, pdf, run_tests):
            assert run_tests and not pdf
            print("Running your submission against local test cases...\n")
            print("Your submission received the following results when run against available test cases:\n")
            print("    All test cases passed!")

    monkeypatch.setattr(notebook, "in_colab", lambda: False)
    notebook.hand_in(Grader())
    out = capsys.readouterr().out
    assert "passed" not in out and "test cases" not in out, out
    assert "every answer is in the expected form" in out and "graded after you hand in" in out


def test_the_words_replaced_are_the_ones_otter_prints():
    """If otter rewords its export report, this fails and HAND_IN_WORDING needs the new words."""
    import otter

    from mlsys_lab.course.notebook import HAND_IN_WORDING

    package = Path(otter.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    source = re.sub(r'"\s*\+\s*"', "", source)  # "a " + "b" -> "a b"
    for theirs, _ in HAND_IN_WORDING:
        assert theirs in source, theirs
