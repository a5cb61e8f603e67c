"""Fast unit tests of each part of the two-stage grader (autograder/grading/).

The end-to-end batch is tests/test_grading.py; the attack suite is tests/test_attacks.py.
"""

from __future__ import annotations

import io
import json
import os
import socket
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.common.conventions import is_setup_cell
from autograder.grading import answers as plain
from autograder.grading import intake
from autograder.grading import messages as m
from autograder.grading import sandbox as sb
from autograder.grading.score import _quantity as course_quantity

ROOT = Path(__file__).resolve().parent.parent


# -------------------------------------------------------------------------------------------
# answers: plain data only, on both sides of the boundary


def _quantity_class():
    from mlsys_lab.units import ureg

    return ureg.Quantity


def _record(value):
    return plain.encode_one(value, _quantity_class())


@pytest.mark.parametrize("value", [None, True, 3, -2.5, "C", ["a", "b"], {"x": [1, 2.0]}, []])
def test_plain_values_cross_as_values(value):
    text = plain.encode({"a_answer": value}, ["a_answer"], _quantity_class())
    assert plain.decode(text, ["a_answer"]) == {"a_answer": value}


def test_quantities_are_rebuilt_in_the_course_registry():
    from mlsys_lab.units import Q_, ureg

    text = plain.encode({"t_answer": Q_(490, "hour")}, ["t_answer"], ureg.Quantity)
    (value,) = plain.decode(text, ["t_answer"], course_quantity).values()
    assert type(value) is ureg.Quantity and value.to("day").magnitude == pytest.approx(490 / 24)


def test_numpy_scalars_are_plain_numbers():
    import numpy as np

    assert _record(np.float64(2.5)) == {"kind": "value", "value": 2.5}
    assert _record(np.int64(7)) == {"kind": "value", "value": 7}


class LyingStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class Anything:
    def __eq__(self, other):
        return True


def _gen():
    yield "C"


@pytest.mark.parametrize(
    "value, why",
    [
        (LyingStr("C"), "LyingStr"),
        (Anything(), "Anything"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (10**40, "too large"),
        (print, "builtin"),
        (lambda: "C", "function"),
        (_gen(), "generator"),
        ({1: "a"}, "keys"),
        ("x" * (plain.MAX_STRING + 1), "longer"),
        ([[[[[[[[[["deep"]]]]]]]]]], "nested"),
        (list(range(plain.MAX_ITEMS + 1)), "items"),
        ((1, 2), "tuple"),
    ],
)
def test_anything_else_is_recorded_as_not_plain(value, why):
    record = _record(value)
    assert record["kind"] == "not_plain" and why in record["why"], record


def test_unanswered_and_missing_are_distinct():
    text = plain.encode({"a_answer": ...}, ["a_answer", "b_answer"])
    values = plain.decode(text, ["a_answer", "b_answer"])
    assert values["a_answer"] is Ellipsis
    assert isinstance(values["b_answer"], plain.NotPlain)


@pytest.mark.parametrize(
    "forged",
    [
        b"not json",
        b'{"format": "other", "answers": {}}',
        b'{"format": "mlsys-lab-answers/1", "answers": {"a_answer": {"kind": "value", "value": NaN}}}',
        b"[" * 100000 + b"]" * 100000,
        b" " * (plain.MAX_FILE_BYTES + 1),
    ],
)
def test_a_forged_or_broken_file_is_rejected_whole(forged):
    with pytest.raises(plain.BadAnswersFile):
        plain.decode(forged, ["a_answer"])


@pytest.mark.parametrize(
    "record",
    [
        {"kind": "value", "value": [[[[[[[[[["deep"]]]]]]]]]]},
        {"kind": "value", "value": 10**30},
        {"kind": "quantity", "magnitude": "1", "units": "hour"},
        {"kind": "quantity", "magnitude": 1, "units": "__import__('os')"},
        {"kind": "pickle", "value": "gASV"},
        "C",
    ],
)
def test_a_forged_record_decodes_to_not_plain(record):
    text = json.dumps({"format": plain.FORMAT, "answers": {"a_answer": record}})
    value = plain.decode(text, ["a_answer"], course_quantity)["a_answer"]
    assert isinstance(value, plain.NotPlain)


def test_undeclared_names_are_ignored():
    text = json.dumps({"format": plain.FORMAT, "answers": {"__builtins__": {"kind": "value", "value": 1}}})
    assert list(plain.decode(text, ["a_answer"])) == ["a_answer"]


def test_not_plain_fails_every_check():
    from mlsys_lab.course import checks

    value = plain.NotPlain("an object of type x.Y")
    for check in (
        lambda: checks.check_choice(value, "a"),
        lambda: checks.check_bool(value, "a"),
        lambda: checks.check_number(value, "a"),
        lambda: checks.check_order(value, "a", ["x"]),
        lambda: checks.check_text(value, "a"),
    ):
        with pytest.raises(checks.AnswerError):
            check()


# -------------------------------------------------------------------------------------------
# intake


def _student_notebook() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / "01_ml_lifecycle.ipynb", as_version=4)


def test_the_generated_setup_cell_is_recognised_and_nothing_else():
    sources = [c.source for c in _student_notebook().cells if c.cell_type == "code"]
    assert is_setup_cell(sources[0])
    assert not any(is_setup_cell(s) for s in sources[1:])
    assert not is_setup_cell(sources[0] + "\nq1_answer = 'C'")


def _entry(tmp_path: Path, name: str, data: bytes) -> intake.Entry:
    path = tmp_path / name
    path.write_bytes(data)
    return intake.Entry(rel=name, path=path)


def test_a_zip_must_hold_exactly_one_notebook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("a.ipynb", "{}")
        zf.writestr("b.ipynb", "{}")
    with pytest.raises(ValueError, match="2 notebooks"):
        intake.notebook_bytes(_entry(tmp_path, "two.zip", buffer.getvalue()))


def test_a_symlink_is_not_followed(tmp_path):
    secret = tmp_path / "secret.ipynb"
    secret.write_text("{}")
    (tmp_path / "link.ipynb").symlink_to(secret)
    with pytest.raises(ValueError, match="symbolic link"):
        intake.notebook_bytes(intake.Entry(rel="link.ipynb", path=tmp_path / "link.ipynb"))


@pytest.mark.parametrize(
    "data, why",
    [(b"", "empty file"), (b"{", "invalid JSON"), (b"\xff\xfe", "not UTF-8"), (b'{"a": 1}', "no list of cells")],
)
def test_unreadable_notebooks_say_why(data, why):
    nb, reason = intake.read_notebook(data)
    assert nb is None and why in reason


# -------------------------------------------------------------------------------------------
# messages


def test_messages_round_trip_with_their_types():
    result = m.GradeResult(
        ok=True,
        tests={"q1": m.QuestionScore(score=1.0, possible=1.0, cases=[m.CaseResult("q1 - 1", True, 1.0, True)])},
        answers={"q1_answer": "C"},
    )
    again = m.GradeResult.from_json(result.to_json())
    assert again == result and isinstance(again.tests["q1"].cases[0], m.CaseResult)


# -------------------------------------------------------------------------------------------
# the sandbox: what the student's process can and cannot do


def _run(cells: list[str], names: list[str], tmp_path: Path, **limits) -> tuple[sb.Attempt, dict]:
    sandbox = sb.Sandbox("bwrap", slot=7)
    job = m.ExecuteJob(
        cells=[{"number": i, "source": s} for i, s in enumerate(cells, start=1)],
        names=names,
        path=sb.course_import_path(),
    )
    attempt = sb.run_once(sandbox, job, sb.Limits(timeout=limits.pop("timeout", 60), **limits))
    values = plain.decode(attempt.answers, names) if attempt.answers else {}
    return attempt, values


def test_bubblewrap_is_available_here():
    sb.check_available("bwrap")  # make test installs it: a missing sandbox is a failure, not a skip


def test_the_sandbox_sees_no_instructor_files_and_no_network(tmp_path):
    canary = tmp_path / "canary.txt"
    canary.write_text("instructor secret")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    code = f"""
import os, socket
def probe(f):
    try:
        return f()
    except Exception as exc:
        return type(exc).__name__
read_answer = probe(lambda: open({str(canary)!r}).read())
tests_answer = probe(lambda: sorted(os.listdir({str(ROOT)!r})))
net_answer = probe(lambda: socket.create_connection(("127.0.0.1", {port}), timeout=2) and "connected")
uid_answer = os.getuid()
"""
    attempt, values = _run([code], ["read_answer", "tests_answer", "net_answer", "uid_answer"], tmp_path)
    listener.settimeout(0.5)
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()
    assert attempt.done, attempt
    assert values["read_answer"] in ("FileNotFoundError", "PermissionError")
    assert values["tests_answer"] in (["mlsys_lab"], [".venv", "mlsys_lab"], "FileNotFoundError")
    assert values["net_answer"] in ("ConnectionRefusedError", "OSError", "PermissionError")
    assert values["uid_answer"] != 0 or os.geteuid() != 0


def test_writes_stay_in_the_run(tmp_path):
    marker = tmp_path / "written-by-student"
    code = f"""
import os
def probe(f):
    try:
        f(); return "ok"
    except Exception as exc:
        return type(exc).__name__
host_answer = probe(lambda: open({str(marker)!r}, "w").write("x"))
tmp_answer = probe(lambda: open("/tmp/left-behind", "w").write("x"))
home_answer = probe(lambda: open(os.path.expanduser("~/left-behind"), "w").write("x"))
"""
    attempt, values = _run([code], ["host_answer", "tmp_answer", "home_answer"], tmp_path)
    assert attempt.done
    assert values["host_answer"] != "ok" and not marker.exists()
    assert values["tmp_answer"] == "ok" and values["home_answer"] == "ok"
    assert not Path("/tmp/left-behind").exists()


def test_the_private_tmp_is_capped(tmp_path):
    code = """
def fill():
    n = 0
    try:
        for i in range(100):
            with open(f"/tmp/big{i}", "wb") as f:
                f.write(b"x" * (32 << 20))
            n += 1
    except OSError as exc:
        return [n, type(exc).__name__]
    return [n, "no error"]
fill_answer = fill()
"""
    attempt, values = _run([code], ["fill_answer"], tmp_path, tmp_mb=64)
    assert attempt.done
    written, error = values["fill_answer"]
    assert written <= 2 and error == "OSError"


def test_the_process_limit_stops_a_fork_bomb(tmp_path):
    code = """
import os
children = 0
try:
    for _ in range(500):
        if os.fork() == 0:
            import time
            time.sleep(30)
            os._exit(0)
        children += 1
except OSError as exc:
    stopped = type(exc).__name__
count_answer = [children, stopped]
"""
    attempt, values = _run([code], ["count_answer"], tmp_path, nproc=64, timeout=60)
    assert attempt.done, attempt
    children, stopped = values["count_answer"]
    assert children < 64 and stopped in ("BlockingIOError", "OSError")


def test_a_hang_is_killed_at_the_deadline(tmp_path):
    attempt, _ = _run(["import time\ntime.sleep(600)"], [], tmp_path, timeout=3)
    assert attempt.timed_out and attempt.cell == 1 and attempt.seconds < 15


def test_a_hung_cell_is_blanked_and_the_rest_graded(tmp_path):
    job = m.ExecuteJob(
        cells=[
            {"number": 1, "source": "a_answer = 1"},
            {"number": 2, "source": "while True: pass"},
            {"number": 3, "source": "b_answer = 2"},
        ],
        names=["a_answer", "b_answer"],
    )
    execution = sb.execute(sb.Sandbox("bwrap", slot=6), job, sb.Limits(timeout=4))
    assert execution.failure is None and "cell 2 skipped" in execution.notes[0]
    assert plain.decode(execution.answers, ["a_answer", "b_answer"]) == {"a_answer": 1, "b_answer": 2}


def test_unknown_sandbox_mode_is_refused():
    with pytest.raises(sb.SandboxUnavailable):
        sb.check_available("docker")


def test_missing_bubblewrap_names_the_fix(monkeypatch):
    from autograder.grading import confinement

    monkeypatch.setattr(confinement, "bwrap_path", lambda: None)
    with pytest.raises(sb.SandboxUnavailable, match="apt-get install bubblewrap"):
        sb.check_available("bwrap")


def test_infinity_cannot_be_smuggled_through_json_extensions():
    with pytest.raises(plain.BadAnswersFile):
        plain.parse('{"format": "mlsys-lab-answers/1", "answers": {"a": {"kind": "value", "value": Infinity}}}')


# -------------------------------------------------------------------------------------------
# score: the zip's own tests on plain answers, in this (clean) process


def _answers(**values) -> str:
    records = {name: plain.encode_one(value, _quantity_class()) for name, value in values.items()}
    return json.dumps({"format": plain.FORMAT, "answers": records})


@pytest.fixture(scope="module")
def fixture_scorer(fixture_course):
    from autograder.grading.score import Scorer, load_assignment

    zip_path = fixture_course.dist / "99_fixture.zip"
    return Scorer(zip_path), load_assignment(zip_path, "99_fixture")


SOLUTION = {
    "q1_answer": "C",
    "q2_answer": False,
    "q3_answer": ["small", "medium", "large"],
    "q4_answer": "blue",
    "q5_answer": 9000,
}


def test_the_assignment_is_read_from_the_zip(fixture_scorer):
    _, assignment = fixture_scorer
    assert assignment.points == {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 2}
    assert assignment.answer_names == ["q1_answer", "q2_answer", "q3_answer", "q4_answer", "q5_answer"]


def test_correct_answers_score_full_marks(fixture_scorer):
    scorer, assignment = fixture_scorer
    tests, answers, notes = scorer.score(_answers(**SOLUTION))
    assert {q: s.score for q, s in tests.items()} == assignment.points and not notes
    assert answers["q3_answer"] == ["small", "medium", "large"]


def test_a_quantity_in_another_unit_is_converted(fixture_scorer):
    from mlsys_lab.units import Q_

    scorer, _ = fixture_scorer
    tests, _, _ = scorer.score(_answers(**{**SOLUTION, "q5_answer": Q_(2.5, "hour")}))
    assert tests["q5"].score == 2


def test_one_wrong_answer_loses_exactly_its_points(fixture_scorer):
    scorer, _ = fixture_scorer
    tests, _, _ = scorer.score(_answers(**{**SOLUTION, "q5_answer": 9500}))
    assert tests["q5"].score == 0 and sum(s.score for s in tests.values()) == 4


def test_lying_answers_score_nothing_and_say_why(fixture_scorer):
    scorer, _ = fixture_scorer
    values = {name: LyingStr("C") for name in SOLUTION}
    tests, answers, _ = scorer.score(_answers(**values))
    assert sum(s.score for s in tests.values()) == 0
    assert all(answers[name] is None for name in SOLUTION)
    assert "not a plain answer" in tests["q1"].note and "LyingStr" in tests["q1"].note


def test_no_answers_file_scores_zero(fixture_scorer):
    scorer, _ = fixture_scorer
    for text in (None, "garbage"):
        tests, _, _ = scorer.score(text)
        assert sum(s.score for s in tests.values()) == 0


def test_hidden_checks_keep_no_message(fixture_scorer):
    scorer, _ = fixture_scorer
    tests, _, _ = scorer.score(_answers(**{**SOLUTION, "q1_answer": "A"}))
    hidden = [c for c in tests["q1"].cases if c.hidden]
    assert hidden and all(c.message is None and not c.passed for c in hidden)


# -------------------------------------------------------------------------------------------
# report


def test_a_failed_row_scores_zero_and_says_why(fixture_scorer):
    from autograder.grading import report

    _, assignment = fixture_scorer
    entry = intake.Entry(rel="x.ipynb", path=Path("x.ipynb"), failure="empty file")
    scores, total, status = report.row_of(entry, assignment)
    assert total == 0 and status == "Failed: empty file" and set(scores) == set(assignment.points)
    entry = intake.Entry(
        rel="y.ipynb", path=Path("y.ipynb"), result=m.GradeResult(ok=False, reason="timed out after 5 s")
    )
    assert (
        report.row_of(entry, assignment, (report.NO_SANDBOX_NOTE,))[2]
        == f"Failed: timed out after 5 s; {report.NO_SANDBOX_NOTE}"
    )


def test_copy_flags_cover_drawn_numbers_but_not_shuffled_letters(tmp_path):
    """A wrong numeric answer equal to a classmate's right one is flagged where the class's right
    answers are many (at least COPY_FLAG_MIN_DISTINCT distinct values); a wrong letter is not
    (with four options it is somebody's key by chance alone), nor a number where honest answers
    are few. The feedback never names the classmate, nor the file an identical one matched."""
    from autograder.grading.intake import Entry
    from autograder.grading.report import COPY_FLAG_MIN_DISTINCT, feedback_text, flag_copies, row_of
    from autograder.grading.score import Assignment

    def entry(name, student, numbers, letter, right):
        score = m.QuestionScore(score=1.0 if right else 0.0, possible=1.0, cases=[])
        result = m.GradeResult(True, tests={"n": score, "c": score}, answers={"n_answer": numbers, "c_answer": letter})
        return Entry(name, tmp_path, student=student, result=result)

    assignment = Assignment(
        "97_demo", tmp_path / "a.zip", "0", {"c": 1.0, "n": 1.0},
        {"c": ["c_answer"], "n": ["n_answer"]}, ("c", "n"), {"c": 4}, "salt",
    )  # fmt: skip
    honest = [entry(f"h{i}.ipynb", f"h{i}", float(i), "B", True) for i in range(COPY_FLAG_MIN_DISTINCT - 2)]
    entries = [entry("a.ipynb", "s1", 42.0, "B", True), entry("b.ipynb", "s2", 42.0, "B", False), *honest]
    assert flag_copies(entries, assignment) == []  # 9 distinct right answers: too few to accuse
    entries = [*entries, entry("z.ipynb", "s9", 99.0, "A", True)]
    assert flag_copies(entries, assignment) == [("b.ipynb", "n", "a.ipynb")]
    b = entries[1]
    b.private_notes.append("identical content to a.ipynb")
    assert "a.ipynb" in row_of(b, assignment)[2]  # the instructor's row names it
    assert "a.ipynb" not in feedback_text(b, assignment) and "s1" not in feedback_text(b, assignment)
    assert "another student's numbers" in feedback_text(b, assignment)
