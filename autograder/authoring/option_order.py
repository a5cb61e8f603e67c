"""Pipeline step: every student sees a multiple-choice item's options, lettered, in every front end.

The author writes an item once, in the master, as it reads best: the options lettered A, B, ...
in the prompt (``A. ...``, ``- A. ...`` or ``- **A.** ...``), the key in the solution line
(``q3_answer = "B"  # SOLUTION``) and in the hidden test (``expect_choice(q3_answer, "B", ...)``).
This step rewrites such a question for the student notebook and the autograder:

* the lettered options stay in Markdown, in a cell of their own (:func:`options_markdown`), in
  the master's order, with a line saying which order counts: so JupyterLab, Colab, VS Code and
  the site all show them with letters before any cell runs (a committed notebook has no outputs);
* a hidden code cell tagged ``variant`` right after it draws the student's own order and prints it
  (``ml.variants.options("q3", [...])``): once ``ROSTER_ID`` is set, that printed order is the one
  graded, and the output says so. Its source is hidden in every front end: JupyterLab and VS Code
  read ``jupyter.source_hidden``, Colab shows a ``# @title`` cell with ``cellView: form``
  metadata as a titled form, and the site drops it (``remove-cell``: the Markdown above already
  shows the options);
* the solution line and the hidden test ask for the student's letter of the master's key
  (``ml.variants.letter("q3", "B", 4)``), so the key follows the shuffle.

A personal notebook (``python -m autograder personal``) goes further: :func:`personalise_markdown`
writes each student's own order into the Markdown, so the list and the printed order agree.

The master keeps its letters, so the blind-strategy audit (:mod:`autograder.authoring.blind_strategies`)
and the class report (which maps each student's letter back, see
:func:`mlsys_lab.course.variants.master_letter`) read the item as the author wrote it. A question is
left alone when it has no lettered options, no single-letter key, or is graded by hand.
"""

from __future__ import annotations

import re

import nbformat

from autograder.authoring.variant_tests import VARIANT_TAG
from autograder.common.conventions import otter_marker, question_name

OPTION_START = re.compile(r"^(?:- )?(?:\*\*)?([A-H])[.)](?:\*\*)?[ \t]+(\S.*)$")
LETTER_SOLUTION = re.compile(r'^(?P<name>\w+_answer)\s*=\s*"(?P<letter>[A-H])"(?P<rest>\s*#\s*SOLUTION.*)$', re.M)
LETTER_TEST = re.compile(r'(expect_choice\(\s*(?P<name>\w+_answer)\s*,\s*)"(?P<letter>[A-H])"')


class OptionError(ValueError):
    """A multiple-choice item the step cannot rewrite safely (the message says which and why)."""


def split_options(markdown: str) -> tuple[str, list[str], str] | None:
    """``(before, options, after)`` of a prompt with one block of options lettered A, B, ...;
    None when it has none. An option runs on over following lines up to a blank line or the
    next option."""
    lines = markdown.split("\n")
    start = next((i for i, line in enumerate(lines) if (m := OPTION_START.match(line)) and m.group(1) == "A"), None)
    if start is None:
        return None
    options: list[str] = []
    end = start
    while end < len(lines):
        match = OPTION_START.match(lines[end])
        if match and match.group(1) == "ABCDEFGH"[len(options)]:
            options.append(match.group(2).strip())
        elif lines[end].strip() and options and not OPTION_START.match(lines[end]):
            options[-1] += " " + lines[end].strip()
        elif lines[end].strip():
            raise OptionError(f"option {OPTION_START.match(lines[end]).group(1)} is out of order")
        elif end + 1 < len(lines) and OPTION_START.match(lines[end + 1] or ""):
            pass  # a blank line between two options
        else:
            break
        end += 1
    if len(options) < 2:
        return None
    rest = "\n".join(lines[end:])
    if any(OPTION_START.match(line) for line in rest.split("\n")):
        raise OptionError("a prompt has two blocks of lettered options")
    return "\n".join(lines[:start]).rstrip(), options, rest.strip()


DRAW_TITLE = "# @title Your order of these options (set your personal code first; its letters are the ones graded)"
"""First line of the cell that draws a student's order: Colab shows it as the title of a form."""
OPTIONS_MARKER = "<!-- mlsys-options {question} -->"
"""Opens the Markdown cell that lists an item's options (how :func:`personalise_markdown` finds it)."""
MASTER_ORDER_NOTE = (
    "*These letters are the master's order. Once your personal code is set in the first cell, the "
    "hidden cell below prints **your own order**: answer with its letters, they are the ones graded.*"
)
OWN_ORDER_NOTE = "*This is your own order: answer with these letters, they are the ones graded.*"


def options_markdown(question: str, options: list[str], note: str = MASTER_ORDER_NOTE):
    """The Markdown cell that lists ``options`` lettered A, B, ... (the master's order unless a
    personal notebook rewrites it) and says which order counts."""
    lines = [OPTIONS_MARKER.format(question=question)]
    lines += [f"**{'ABCDEFGH'[i]}.** {text}" for i, text in enumerate(options)]
    lines.append(note)
    return nbformat.v4.new_markdown_cell("\n\n".join(lines))


def options_cell(question: str, options: list[str]):
    """The code cell that prints ``options`` in the student's order, its source hidden in every
    front end (JupyterLab and VS Code: ``jupyter.source_hidden``; Colab: ``# @title`` first line
    and ``cellView: form``; the site: ``remove-cell``, the Markdown above shows the options)."""
    body = "\n".join(f"    {text!r}," for text in options)
    source = f'{DRAW_TITLE}\nml.variants.options("{question}", [\n{body}\n])'
    metadata = {"tags": [VARIANT_TAG, "remove-cell"], "jupyter": {"source_hidden": True}, "cellView": "form"}
    return nbformat.v4.new_code_cell(source, metadata=metadata)


def _questions(cells: list) -> list[tuple[str, dict, list[int]]]:
    """``(name, config text facts, indexes of the cells inside)`` of every question."""
    found, current = [], None
    for index, cell in enumerate(cells):
        marker = otter_marker(cell)
        if marker == "BEGIN QUESTION":
            name = question_name(cell)
            manual = re.search(r"^manual:\s*true\b", cell.source, re.M | re.I)
            current = (name or "?", {"manual": bool(manual)}, [])
        elif marker == "END QUESTION":
            if current:
                found.append(current)
            current = None
        elif current is not None:
            current[2].append(index)
    return found


def shuffle(cells: list) -> tuple[list, dict[str, int]]:
    """Rewrite every multiple-choice question as described above. Returns the new cells and
    ``{question: number of options}`` of the questions whose options now vary per student."""
    rewritten: dict[int, list] = {}
    shuffled: dict[str, int] = {}
    for name, facts, inside in _questions(cells):
        if facts["manual"]:
            continue
        prompt = []
        for index in inside:
            if otter_marker(cells[index]) == "BEGIN SOLUTION":
                break
            if cells[index].cell_type == "markdown":
                prompt.append(index)
        solutions = [i for i in inside if cells[i].cell_type == "code" and LETTER_SOLUTION.search(cells[i].source)]
        tests = [i for i in inside if cells[i].cell_type == "code" and LETTER_TEST.search(cells[i].source)]
        blocks = []
        for index in prompt:
            try:
                parts = split_options(cells[index].source)
            except OptionError as exc:
                raise OptionError(f"{name}: {exc}") from exc
            if parts:
                blocks.append((index, parts))
        if not blocks or not solutions:
            continue
        if len(blocks) > 1 or len(solutions) > 1:
            raise OptionError(f"{name}: one block of options and one letter answer per question")
        index, (before, options, after) = blocks[0]
        solution = LETTER_SOLUTION.search(cells[solutions[0]].source)
        key = solution.group("letter")
        if "ABCDEFGH".index(key) >= len(options):
            raise OptionError(f"{name}: the key {key} is not one of the {len(options)} options")
        for t in tests:
            for m in LETTER_TEST.finditer(cells[t].source):
                if m.group("letter") != key:
                    raise OptionError(f"{name}: the solution says {key} but a test expects {m.group('letter')}")
        if not tests:
            raise OptionError(f"{name}: a letter answer without an expect_choice test")
        student_letter = f'ml.variants.letter("{name}", "{key}", {len(options)})'
        cell = cells[solutions[0]]
        cell.source = LETTER_SOLUTION.sub(
            lambda m, key=student_letter: f"{m.group('name')} = {key}{m.group('rest')}", cell.source
        )
        for t in tests:
            cells[t].source = LETTER_TEST.sub(lambda m, key=student_letter: f"{m.group(1)}{key}", cells[t].source)
        replacement = [nbformat.v4.new_markdown_cell(before)] if before else []
        replacement += [options_markdown(name, options), options_cell(name, options)]
        if after:
            replacement.append(nbformat.v4.new_markdown_cell(after))
        rewritten[index] = replacement
        shuffled[name] = len(options)
    out = []
    for index, cell in enumerate(cells):
        out.extend(rewritten.get(index, [cell]))
    return out, shuffled


DRAW_CALL = re.compile(r'^ml\.variants\.options\("(?P<question>\w+)", \[', re.M)


def _drawn_options(source: str) -> tuple[str, list[str]] | None:
    """``(question, options)`` of a cell this step wrote with :func:`options_cell`, else None."""
    import ast

    match = DRAW_CALL.search(source)
    if not match:
        return None
    call = ast.parse(source[match.start() :].strip(), mode="eval").body
    return match.group("question"), [ast.literal_eval(element) for element in call.args[1].elts]


def personalise_markdown(nb: dict, permutation) -> int:
    """Write one student's own order into the options Markdown of a released notebook (its JSON
    as a dict, changed in place), so that the list a student reads and the order the hidden cell
    prints agree. ``permutation(question, n)`` is that student's order
    (:func:`mlsys_lab.course.variants.permutation` once :func:`mlsys_lab.course.variants.configure` is set for
    them). Returns how many items were rewritten."""
    cells = nb["cells"]
    rewritten = 0
    for index, cell in enumerate(cells):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        drawn = _drawn_options(source) if cell["cell_type"] == "code" else None
        if drawn is None:
            continue
        question, options = drawn
        marker = OPTIONS_MARKER.format(question=question)
        markdown = next(
            (c for c in reversed(cells[:index]) if c["cell_type"] == "markdown" and marker in "".join(c["source"])),
            None,
        )
        if markdown is None:
            raise OptionError(f"{question}: no options Markdown before the cell that draws the order")
        order = permutation(question, len(options))
        mine = options_markdown(question, [options[i] for i in order], note=OWN_ORDER_NOTE)
        markdown["source"] = mine.source.splitlines(keepends=True)
        rewritten += 1
    return rewritten


def own_order_in_markdown(nb: dict, secret: str, roster_id: str) -> int:
    """:func:`personalise_markdown` for one student of a released notebook (its JSON as a dict):
    the order :mod:`mlsys_lab.course.variants` draws for ``roster_id`` under the instructor's ``secret``,
    for the assignment the notebook's metadata names. Used by ``python -m autograder personal``."""
    from mlsys_lab.course import variants

    assignment = ((nb.get("metadata") or {}).get("otter") or {}).get("assignment_name")
    if not assignment:
        raise OptionError("the notebook's metadata names no assignment (otter.assignment_name)")
    variants.configure(secret, assignment, roster_id)
    try:
        return personalise_markdown(nb, variants.permutation)
    finally:
        variants.configure(None, None)
