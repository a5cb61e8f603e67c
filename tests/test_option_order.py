"""The pipeline step that shows each student a multiple-choice item's options in their own order
(autograder/authoring/option_order.py), and the class report's way back to the master's letters."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder.authoring import closed_items, option_order
from autograder.authoring.assign import masters, read_master
from mlsys_lab.course import variants

SALT = "test-salt"

PROMPT = """**Question 3.** Which one is a colour?

- **A.** a number that is
  written over two lines
- **B.** blue

- **C.** a verb
- **D.** a city

Set `q3_answer` to a letter in quotes."""


def _question(prompt=PROMPT, solution='q3_answer = "B"  # SOLUTION', test_letter="B", manual=False):
    raw, md, code = nbformat.v4.new_raw_cell, nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    config = "# BEGIN QUESTION\nname: q3\npoints: 1" + ("\nmanual: true" if manual else "")
    test = f'def test_q3_correct(q3_answer):\n    expect_choice(q3_answer, "{test_letter}", "q3_answer")'
    return [
        raw(config),
        md(prompt),
        raw("# BEGIN SOLUTION"),
        code(solution),
        raw("# END SOLUTION"),
        raw("# BEGIN TESTS"),
        code(test),
        raw("# END TESTS"),
        raw("# END QUESTION"),
    ]


def test_the_three_option_styles_and_wrapped_options_are_read():
    before, options, after = option_order.split_options(PROMPT)
    assert before == "**Question 3.** Which one is a colour?"
    assert options == ["a number that is written over two lines", "blue", "a verb", "a city"]
    assert after == "Set `q3_answer` to a letter in quotes."
    assert option_order.split_options("A. one\nB. two\n\nmore")[1] == ["one", "two"]
    assert option_order.split_options("- A. one\n- B. two")[1] == ["one", "two"]
    assert option_order.split_options("No options here.") is None


def test_options_out_of_order_are_refused():
    with pytest.raises(option_order.OptionError, match="out of order"):
        option_order.split_options("A. one\nC. three")


def test_a_question_is_rewritten_so_the_key_follows_the_shuffle():
    cells, shuffled = option_order.shuffle(_question())
    assert shuffled == {"q3": 4}
    sources = [c.source for c in cells]
    listed = next(c for c in cells if c.cell_type == "markdown" and "**B.** blue" in c.source)
    assert "**A.** a number that is written over two lines" in listed.source and "master's order" in listed.source
    shown = cells[cells.index(listed) + 1]
    assert shown.cell_type == "code" and 'ml.variants.options("q3"' in shown.source
    assert "variant" in shown.metadata["tags"] and shown.metadata["jupyter"]["source_hidden"]
    assert 'q3_answer = ml.variants.letter("q3", "B", 4)  # SOLUTION' in sources
    assert any('expect_choice(q3_answer, ml.variants.letter("q3", "B", 4), "q3_answer")' in s for s in sources)


def test_manual_questions_and_items_without_a_letter_key_are_left_alone():
    for cells in (_question(manual=True), _question(solution="q3_answer = 0.5  # SOLUTION")):
        before = [c.source for c in cells]
        out, shuffled = option_order.shuffle(cells)
        assert shuffled == {} and [c.source for c in out] == before


def test_a_key_that_disagrees_with_its_test_is_refused():
    with pytest.raises(option_order.OptionError, match="solution says B but a test expects C"):
        option_order.shuffle(_question(test_letter="C"))


def _configure(student: str | None) -> None:
    """That student's draws (the instructor's side: the secret and a roster id); the master's
    order without a student."""
    if student is None:
        variants.configure(None, "97_demo")
    else:
        variants.configure(SALT, "97_demo", student)


def _shown(question: str, texts: list[str], student: str | None) -> list[str]:
    _configure(student)
    try:
        order = variants.permutation(question, len(texts))
        return [texts[i] for i in order]
    finally:
        variants.configure(None, None)


def test_two_students_see_different_orders_and_each_key_follows():
    texts = ["a number", "blue", "a verb", "a city"]
    orders = {s: _shown(q, texts, s) for s in ("s1001", "s1002") for q in ["q3"]}
    assert orders["s1001"] != orders["s1002"] or _shown("q4", texts, "s1001") != _shown("q4", texts, "s1002")
    for student in ("s1001", "s1002", None):
        _configure(student)
        their_letter = variants.letter("q3", "B", 4)
        assert _shown("q3", texts, student)["ABCD".index(their_letter)] == "blue"
        _configure(student)
        assert variants.master_letter("q3", their_letter, 4) == "B"
        assert variants.master_letter("q3", "Z", 4) is None
    variants.configure(None, None)
    assert _shown("q3", texts, None) == texts  # without an id: the master's order


def test_over_a_class_every_key_letter_is_equally_likely():
    counts = {c: 0 for c in "ABCD"}
    for i in range(2000):
        variants.configure(SALT, "97_demo", f"s{i:05d}")
        counts[variants.letter("q3", "B", 4)] += 1
    variants.configure(None, None)
    assert min(counts.values()) > 400, counts


@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_every_multiple_choice_item_of_a_chapter_is_shuffled(master: Path):
    """Every item the blind-strategy audit reads as multiple choice shows a per-student order."""
    items = {item.name: len(item.options) for item in closed_items.parse_master(master).choice_items}
    assert items, f"{master.name}: no multiple-choice items found"
    nb = read_master(master)
    assert nb.metadata["mlsys_shuffled"] == items


# -------------------------------------------------------------------------------------------
# what a student sees before running anything, in each front end (issue 21, item 7)

ITEMS_FIXTURE = Path(__file__).parent / "fixtures" / "97_items.md"


@pytest.fixture(scope="module")
def items_course(tmp_path_factory):
    from conftest import BuiltCourse, _build_masters, build_once

    return BuiltCourse(build_once(tmp_path_factory, "items-course", _build_masters([ITEMS_FIXTURE])))


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _options_and_draw(cells: list, question: str) -> tuple[dict, dict]:
    marker = option_order.OPTIONS_MARKER.format(question=question)
    index = next(i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and marker in _source(c))
    return cells[index], cells[index + 1]


def _assert_seen_everywhere(cells: list, question: str, options: list[str]) -> None:
    listed, draw = _options_and_draw(cells, question)
    text = _source(listed)
    # every front end renders Markdown without running anything: the options, lettered, are there
    plain = closed_items.plain_text(text)  # as the audit reads options: no emphasis, ticks or $
    for letter, option in zip("ABCDEFGH", options):
        assert f"{letter}. {option}" in plain, f"{question}: option {letter} not in the Markdown"
    assert "master's order" in text and "the ones graded" in text  # which order counts, said
    assert draw["cell_type"] == "code" and 'ml.variants.options("' + question + '"' in _source(draw)
    meta = draw["metadata"]
    assert meta["jupyter"]["source_hidden"] is True  # JupyterLab and VS Code collapse the source
    assert meta["cellView"] == "form" and _source(draw).startswith("# @title ")  # Colab's form view
    assert "remove-cell" in meta["tags"]  # the site: the Markdown above already shows the options


def test_the_released_notebook_shows_lettered_options_in_every_front_end(items_course):
    import json

    nb = json.loads((items_course.notebooks / "97_items.ipynb").read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")  # nothing has run
    (item,) = closed_items.parse_master(ITEMS_FIXTURE).choice_items
    _assert_seen_everywhere(nb["cells"], item.name, list(item.options.values()))


@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_every_chapter_item_shows_its_options_in_markdown(master: Path):
    """The pipeline's cells of each chapter (the released notebook keeps them: the fixture
    build above shows the metadata surviving otter assign and the normalisation)."""
    nb = read_master(master)
    cells = [{"cell_type": c.cell_type, "source": c.source, "metadata": dict(c.metadata)} for c in nb.cells]
    for item in closed_items.parse_master(master).choice_items:
        _assert_seen_everywhere(cells, item.name, list(item.options.values()))


@pytest.mark.parametrize("master", masters(), ids=lambda p: p.stem)
def test_each_committed_notebook_shows_its_options_in_every_front_end(master: Path):
    """The released notebook students open (notebooks/NN.ipynb, read as plain JSON the way
    Colab, JupyterLab, VS Code and the site's build read it)."""
    import json

    released = master.parent.parent / "notebooks" / f"{master.stem}.ipynb"
    nb = json.loads(released.read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    for item in closed_items.parse_master(master).choice_items:
        _assert_seen_everywhere(nb["cells"], item.name, list(item.options.values()))


def test_a_personal_notebook_lists_the_students_own_order_as_the_hidden_cell_prints_it(items_course, capsys):
    import json

    secret, student = "test-secret", "s00007"
    nb = json.loads((items_course.notebooks / "97_items.ipynb").read_text(encoding="utf-8"))
    (item,) = closed_items.parse_master(ITEMS_FIXTURE).choice_items
    texts = list(item.options.values())
    assert option_order.own_order_in_markdown(nb, secret, student) == 1
    listed, _ = _options_and_draw(nb["cells"], item.name)
    mine = [line for line in _source(listed).split("\n\n") if line.startswith("**")]
    variants.configure(secret, "97_items", student)
    try:
        order = variants.permutation(item.name, len(texts))
        variants.options(item.name, texts)  # what the hidden cell prints for this student
    finally:
        variants.configure(None, None)
    assert order != list(range(len(texts))), "pick a student whose order differs from the master's"
    printed = [line.strip() for line in capsys.readouterr().out.split("\n\n") if line[:2] in {f"{c}." for c in "ABCD"}]
    assert [line.replace("**", "") for line in mine] == printed
    assert "your own order" in _source(listed) and "master's order" not in _source(listed)


def test_personal_writes_the_own_order_into_the_markdown(items_course):
    import json

    from autograder.authoring import personal

    text = (items_course.notebooks / "97_items.ipynb").read_text(encoding="utf-8")
    nb = json.loads(personal.personalise(text, "s00007", "test-secret"))
    listed, _ = _options_and_draw(nb["cells"], "colour")
    assert "your own order" in _source(listed)
