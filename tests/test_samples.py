"""The synthetic submissions the grading tests and benchmarks are made of, checked on a tiny
notebook (:mod:`autograder.authoring.samples`): a sample that is not what its name says would
make a grading test pass for the wrong reason."""

from __future__ import annotations

import random

import nbformat
import pytest

from autograder.authoring import samples

SOLUTION_ANSWERS = {
    "q1_answer": '"C"',
    "q2_answer": "True",
    "q3_answer": "42",
    "q4_answer": '["a", "b"]',
    "pick_answer": 'ml.variants.letter("pick", "B", 4)',
}


def notebooks() -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """(student, solution): a markdown cell, then one code cell per answer."""
    cell = nbformat.v4.new_code_cell

    def notebook(values: dict[str, str]) -> nbformat.NotebookNode:
        cells = [nbformat.v4.new_markdown_cell("# Tiny")] + [cell(f"{n} = {v}  # SOLUTION") for n, v in values.items()]
        return nbformat.v4.new_notebook(cells=cells)

    return notebook({name: "..." for name in SOLUTION_ANSWERS}), notebook(SOLUTION_ANSWERS)


def answers_of(nb) -> dict[str, str]:
    return samples.solution_answers(nb)


def test_the_solution_answers_fill_the_student_notebook_and_nothing_else():
    student, solution = notebooks()
    assert answers_of(solution) == SOLUTION_ANSWERS
    filled = samples.fill(student, {"q2_answer": "False"})
    assert answers_of(filled) == {**{n: "..." for n in SOLUTION_ANSWERS}, "q2_answer": "False"}
    assert answers_of(student)["q2_answer"] == "...", "fill changed the notebook it was given"
    assert samples.answer_cells(filled) == {name: i + 1 for i, name in enumerate(SOLUTION_ANSWERS)}


@pytest.mark.parametrize(
    "value, wrong",
    [
        ('"C"', lambda w: w in {"'A'", "'B'", "'D'"}),
        ("True", lambda w: w == "False"),
        ("42", lambda w: w == "127"),
        ('["a", "b"]', lambda w: w == "['b', 'a']"),
        (
            'ml.variants.letter("pick", "B", 4)',
            lambda w: w.startswith('ml.variants.letter("pick", "') and '"B"' not in w,
        ),
        ("ml.Q_(3, 'hour')", lambda w: w == "(ml.Q_(3, 'hour')) * 3"),
    ],
)
def test_a_wrong_value_is_another_answer_of_the_same_kind(value, wrong):
    for seed in range(5):
        assert wrong(samples.wrong_value(value, random.Random(seed))), samples.wrong_value(value, random.Random(seed))


@pytest.mark.parametrize("seed", range(3))
def test_a_mix_is_what_its_kind_says(seed):
    student, solution = notebooks()
    right = SOLUTION_ANSWERS
    assert answers_of(samples.mix(student, solution, seed, "correct")) == right
    assert answers_of(samples.mix(student, solution, seed, "blank")) == answers_of(student)
    wrong = answers_of(samples.mix(student, solution, seed, "wrong"))
    assert sum(wrong[n] != right[n] for n in right) == len(right) // 2
    half = answers_of(samples.mix(student, solution, seed, "half"))
    assert sum(half[n] == "..." for n in right) == len(right) // 2
    assert all(half[n] in ("...", right[n]) for n in right)


def test_always_equal_and_an_added_cell_land_where_they_should():
    student, solution = notebooks()
    cheat = samples.always_equal(student, solution)
    assert set(answers_of(cheat).values()) == {"_AlwaysEqual()"}
    assert cheat.cells[1].source.startswith(samples.ALWAYS_EQUAL)
    loop = samples.PATHOLOGICAL_CELLS["infinite_loop"]
    before = samples.with_cell(solution, loop, before_answer="q3_answer")
    assert before.cells[3].source == loop and samples.answer_cells(before)["q3_answer"] == 4
    into = samples.with_cell(solution, loop, into_answer="q3_answer")
    assert into.cells[3].source.endswith("\n" + loop) and len(into.cells) == len(solution.cells)
