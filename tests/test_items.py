"""Item metadata (issue 21): the ```item fences are parsed and checked (autograder/authoring/items.py),
shipped in the autograder zip, turned into a diagnosis for a student who chose a distractor, and
counted as misconceptions in the class report. The fixture master tests/fixtures/97_items.md has
one item of each kind."""

from __future__ import annotations

import dataclasses
import json
import zipfile

import pytest
from conftest import BuiltCourse, _build_masters, build_once
from helpers import ROOT

from autograder.authoring import items
from autograder.grading import gradescope, misconceptions, report
from autograder.grading import messages as m
from autograder.grading.intake import Entry
from autograder.grading.score import load_assignment

FIXTURE = ROOT / "tests" / "fixtures" / "97_items.md"
NAME = FIXTURE.stem


@pytest.fixture(scope="module")
def items_course(tmp_path_factory) -> BuiltCourse:
    return BuiltCourse(build_once(tmp_path_factory, "items-course", _build_masters([FIXTURE])))


# ---------------------------------------------------------------- parsing and checking

QUESTION = """
```otter
# BEGIN QUESTION
name: {name}
points: 1
```

```item
{fence}
```

**Question.** Which one?

- **A.** one
- **B.** two
- **C.** three

```otter
# BEGIN SOLUTION
```

```{{code-cell}} ipython3
{name}_answer = {key}  # SOLUTION
```

```otter
# END SOLUTION
```

```otter
# BEGIN TESTS
```

```otter
# END TESTS
```

```otter
# END QUESTION
```
"""


def _master(tmp_path, *questions: tuple[str, str, str]):
    path = tmp_path / "96_synthetic.md"
    path.write_text("# Synthetic\n" + "".join(QUESTION.format(name=n, fence=f, key=k) for n, f, k in questions))
    return path


def test_the_fixture_fences_are_read_and_attached_to_their_questions():
    parsed = items.parse_master(FIXTURE)
    assert sorted(parsed) == ["colour", "runs", "ship_early", "ship_late"]
    colour = parsed["colour"]
    assert colour.intent == "understanding" and sorted(colour.distractors) == ["A", "C", "D"]
    assert (
        colour.distractors["C"].misconception.startswith("reading a word") and colour.distractors["C"].section == "§1.2"
    )
    assert [w.name for w in parsed["runs"].wrong_methods][1] == "counts days where the runs take hours"
    assert parsed["ship_early"].pair == "ship_late"
    assert items.problems(FIXTURE) == []


def test_each_bad_field_is_named_with_master_and_question(tmp_path):
    path = _master(
        tmp_path,
        ("q1", "intent: insight", '"B"'),
        ("q2", "distractors:\n  E: {misconception: x, section: s}\n  B: {misconception: y, section: s}", '"B"'),
        ("q3", "pair: q1", "True"),
        ("q4", "wrong_methods:\n  - {name: halves, expression: 'q4_x / 2'}", '"A"'),
    )
    found = items.problems(path)
    assert "96_synthetic: q1: intent: 'insight' is not one of understanding, recall, procedure" in found
    assert "96_synthetic: q2: distractors: E is not an option (A, B, C)" in found
    assert "96_synthetic: q2: distractors: B is the key, not a distractor" in found
    assert "96_synthetic: q3: pair: q1 is not a true/false item of the master" in found
    assert "96_synthetic: q4: wrong_methods: the question has no tolerance test (expect_number)" in found


@pytest.mark.parametrize(
    ("fence", "message"),
    [
        (
            "distractors:\n  A: {section: '§1'}",
            "96_synthetic: q1: distractors: A: misconception: needs a non-empty text",
        ),
        (
            "distractors:\n  A: {misconception: 'x'}",
            "96_synthetic: q1: distractors: A: section: needs a non-empty text",
        ),
        ("wrong_methods:\n  - {name: x}", "96_synthetic: q1: wrong_methods[1]: expression: needs a non-empty text"),
        ("wrong_methods:\n  - {expression: '1 +'}", "96_synthetic: q1: wrong_methods[1]: expression: is not a Python"),
        ("wrong_methods:\n  - {expression: '2'}", "96_synthetic: q1: wrong_methods[1]: name: needs a non-empty text"),
        ("intent: recall\nhint: x", "96_synthetic: q1: unknown field(s) hint"),
        ("intent: [recall", "96_synthetic: q1: the item fence at line"),
    ],
)
def test_a_fence_of_the_wrong_shape_is_refused(tmp_path, fence, message):
    found = items.problems(_master(tmp_path, ("q1", fence, '"B"')))
    assert len(found) == 1 and found[0].startswith(message), found


def test_a_fence_before_any_question_is_an_error(tmp_path):
    path = tmp_path / "96_synthetic.md"
    path.write_text("```item\nintent: recall\n```\n")
    with pytest.raises(items.ItemError, match="before any # BEGIN QUESTION"):
        items.parse_master(path)


# ---------------------------------------------------------------- the zip, the feedback, the report


def test_the_zip_ships_the_misconceptions_but_no_wrong_methods(items_course):
    with zipfile.ZipFile(items_course.dist / f"{NAME}.zip") as zf:
        shipped = json.loads(zf.read(items.ITEMS_FILE))
    assert shipped["questions"]["colour"]["distractors"]["D"] == {
        "misconception": "taking a place named after a colour for the colour",
        "section": "§1.3",
    }
    assert "wrong_methods" not in json.dumps(shipped) and "round(" not in json.dumps(shipped)
    student = (items_course.notebooks / f"{NAME}.ipynb").read_text()
    assert "reading a word about painting" not in student and "counts days where" not in student


def _graded(assignment, letter: str, student: str = "s00007") -> Entry:
    passed = False
    cases = [m.CaseResult("test_colour_correct", hidden=True, points=1.0, passed=passed)]
    tests = {q: m.QuestionScore(score=0.0, possible=assignment.points[q], cases=[]) for q in assignment.questions}
    tests["colour"] = m.QuestionScore(score=0.0, possible=1.0, cases=cases)
    entry = Entry(rel="student.ipynb", path=ROOT / "student.ipynb", student=student)
    entry.result = m.GradeResult(ok=True, tests=tests, answers={"colour_answer": letter})
    return entry


def _keyed(assignment):
    """The assignment as the grader holds it with an instructor's secret (per-student orders)."""
    names = {f.name for f in dataclasses.fields(assignment)}
    return dataclasses.replace(assignment, **{k: "test-secret" for k in ("secret", "salt") if k in names})


def test_a_student_who_chose_a_distractor_reads_its_misconception(items_course):
    assignment = _keyed(load_assignment(items_course.dist / f"{NAME}.zip"))
    assert "colour" in assignment.shuffled
    seen = {}
    for letter in "ABCD":  # the student's own letters; each maps back to one master letter
        entry = _graded(assignment, letter)
        seen[report.master_letters(entry, assignment)["colour_answer"]] = letter
    assert sorted(seen) == ["A", "B", "C", "D"]
    for master_letter, text in (("A", "counting any quantity"), ("C", "reading a word"), ("D", "taking a place")):
        entry = _graded(assignment, seen[master_letter])
        line = misconceptions.diagnoses(entry, assignment)["colour"]
        assert line.startswith(f"You chose {seen[master_letter]}: this follows from {text}")
        assert line.endswith(f"; see §1.{'ACD'.index(master_letter) + 1}.")
        assert line in report.feedback_text(entry, assignment)
        assert line in gradescope._feedback("colour", entry.result.tests["colour"], line)
    no_code = _graded(assignment, seen["A"])
    no_code.missing = "this file is not on the roster, so the grader cannot tell whose numbers it holds"
    assert misconceptions.diagnoses(no_code, assignment) == {}  # its zero is the missing code's, said elsewhere
    key_entry = _graded(assignment, seen["B"])
    assert misconceptions.diagnoses(key_entry, assignment) == {}
    assert "You chose" not in report.feedback_text(key_entry, assignment)


def test_a_zip_without_items_gives_no_diagnosis(tmp_path):
    assert misconceptions.read_items(tmp_path) == {"questions": {}}
    assert misconceptions.diagnosis({"questions": {}}, "q1", "B", "B") is None


def test_the_class_report_counts_misconceptions(tmp_path):
    from autograder.review.class_report import write_report
    from autograder.review.class_report.stats import compute

    rows = [
        {"file": f"s{i}.ipynb", "failed": False, "status": "Completed", "seconds": 1.0, "answers": {"colour_answer": x}}
        | {"scores": {"colour": 1.0 if x == "B" else 0.0}, "master_letters": {"colour_answer": x}}
        for i, x in enumerate("BBBBAAACD")
    ]
    results = {"assignment": NAME, "questions": {"colour": {"points": 1, "answers": ["colour_answer"]}}, "rows": rows}
    stats = compute(results, {"colour": list("ABCD")}, items.parse_master(FIXTURE))
    named = stats["distractors"][0]["misconceptions"]
    assert [(x["letter"], x["count"]) for x in named] == [("A", 3), ("C", 1), ("D", 1)]
    assert named[0]["misconception"] == "counting any quantity as a colour" and named[0]["section"] == "§1.1"
    (tmp_path / "results.json").write_text(json.dumps(results))
    page = write_report(tmp_path, master=FIXTURE).read_text()
    assert "<h3>Misconceptions</h3>" in page and "counting any quantity as a colour</td>" in page


def test_through_the_grade_command_the_feedback_and_the_report_name_the_misconception(items_course, tmp_path):
    """A student on the roster answers the colour item with the letter under which THEY saw the
    master's option C; `grade` writes the diagnosis into their feedback and the report counts it."""
    import csv
    import subprocess
    import sys

    import nbformat

    from mlsys_lab.course import variants

    secret, student = "items-test-secret", "s0042"
    variants.configure(secret, NAME, student)
    try:
        theirs = variants.letter("colour", "C", 4)
    finally:
        variants.configure(None, None)
    (tmp_path / "secret").write_text(secret + "\n")
    folder = tmp_path / "subs"
    folder.mkdir()
    nb = nbformat.read(items_course.notebooks / f"{NAME}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(f"colour_answer = {theirs!r}"))
    nbformat.write(nb, folder / "dana.ipynb")
    (tmp_path / "roster.csv").write_text(f"file,student_id\ndana.ipynb,{student}\n")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--assignment", NAME, "--submissions", str(folder),
         "--out", str(out), "--autograder", str(items_course.dist / f"{NAME}.zip"),
         "--roster", str(tmp_path / "roster.csv"), "--secret-file", str(tmp_path / "secret")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(out / "grades.csv", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["file"] == "dana.ipynb")
    assert float(row["colour"]) == 0
    feedback = (out / "feedback" / "dana.ipynb.md").read_text()
    section = feedback.split("## colour:")[1].split("## ")[0]
    line = f"You chose {theirs}: this follows from reading a word about painting as the paint itself; see §1.2."
    assert line in section
    from autograder.review.class_report import write_report

    page = write_report(out, master=FIXTURE).read_text()
    assert "reading a word about painting as the paint itself</td>" in page
    results = json.loads((out / "results.json").read_text())
    assert results["rows"][0]["master_letters"] == {"colour_answer": "C"}


def test_on_gradescope_the_question_output_names_the_misconception(items_course, tmp_path):
    """The zip's own run_autograder (sealed with a secret, the student's SID from Gradescope's
    metadata): the colour test's output holds the diagnosis, with the letter the student saw."""
    import os
    import subprocess
    import sys

    import nbformat

    from autograder.authoring.course_secret import seal
    from mlsys_lab.course import variants

    secret, student = "items-gradescope-secret", "s0043"
    variants.configure(secret, NAME, student)
    try:
        theirs = variants.letter("colour", "D", 4)
    finally:
        variants.configure(None, None)
    sealed = tmp_path / "sealed.zip"
    seal(items_course.dist / f"{NAME}.zip", secret, sealed, None)
    root = tmp_path / "autograder"
    for folder in ("source", "submission", "results"):
        (root / folder).mkdir(parents=True)
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"sid": student, "email": ""}]}))
    with zipfile.ZipFile(sealed) as zf:
        zf.extractall(root / "source")
    nb = nbformat.read(items_course.notebooks / f"{NAME}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(f"colour_answer = {theirs!r}"))
    (root / "submission" / f"{NAME}.ipynb").write_text(nbformat.writes(nb))
    env = dict(
        os.environ, MLSYS_AUTOGRADER_ROOT=str(root), MLSYS_AUTOGRADER_PYTHON=sys.executable, MLSYS_SANDBOX="bwrap"
    )
    proc = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    colour = next(t for t in results["tests"] if t["name"] == "colour")
    assert colour["score"] == 0, results
    line = f"You chose {theirs}: this follows from taking a place named after a colour for the colour; see §1.3."
    assert line in colour["output"], colour["output"]
