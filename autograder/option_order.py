"""Pipeline step: every student sees a multiple-choice item's options in their own order.

The author writes an item once, in the master, as it reads best: the options lettered A, B, ...
in the prompt (``A. ...``, ``- A. ...`` or ``- **A.** ...``), the key in the solution line
(``q3_answer = "B"  # SOLUTION``) and in the hidden test (``expect_choice(q3_answer, "B", ...)``).
This step rewrites such a question for the student notebook and the autograder:

* the lettered options leave the prompt and become a code cell tagged ``variant`` that shows them
  in the student's order (``ml.variants.options("q3", [...])``; the master's order without a
  roster id, which is what the site shows);
* the solution line and the hidden test ask for the student's letter of the master's key
  (``ml.variants.letter("q3", "B", 4)``), so the key follows the shuffle.

The master keeps its letters, so the blind-strategy audit (:mod:`autograder.question_quality`)
and the class report (which maps each student's letter back, see
:func:`mlsys_lab.variants.master_letter`) read the item as the author wrote it. A question is
left alone when it has no lettered options, no single-letter key, or is graded by hand.
"""

from __future__ import annotations

import re

import nbformat

from autograder.conventions import otter_marker, question_name
from autograder.variant_tests import VARIANT_TAG

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


def options_cell(question: str, options: list[str]):
    """The code cell that shows ``options`` in the student's order (source hidden where the
    front end allows: ``remove-input`` on the site (only the lettered options show), ``source_hidden`` in JupyterLab)."""
    body = "\n".join(f"    {text!r}," for text in options)
    source = f'ml.variants.options("{question}", [\n{body}\n])'
    return nbformat.v4.new_code_cell(
        source, metadata={"tags": [VARIANT_TAG, "remove-input"], "jupyter": {"source_hidden": True}}
    )


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
        replacement.append(options_cell(name, options))
        if after:
            replacement.append(nbformat.v4.new_markdown_cell(after))
        rewritten[index] = replacement
        shuffled[name] = len(options)
    out = []
    for index, cell in enumerate(cells):
        out.extend(rewritten.get(index, [cell]))
    return out, shuffled
