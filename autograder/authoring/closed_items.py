"""The closed items of a master: its multiple-choice and true/false questions, parsed (issue 11, §1).

The blind-strategy audit (:mod:`autograder.authoring.blind_strategies`) and the chapter standards
(:mod:`autograder.authoring.chapter_standards`) read a master in ``solutions/`` through this module:
``otter`` question blocks, options written ``A. ...`` with or without a ``-`` bullet or bold letter,
keys on solution lines such as ``q3_answer = "C"  # SOLUTION``. A key that is not a literal (a
computed napkin answer) is not a closed item and is left out.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"

OPTION_LINE = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*)?\(?([A-H])[.)](?:\*\*)?\s+(\S.*)$")
FENCE = re.compile(r"^(`{3,}).*?^\1\s*$", re.S | re.M)
QUESTION_BLOCK = re.compile(r"#\s*BEGIN QUESTION\b(.*?)#\s*END QUESTION\b", re.S)
KEY_LINE = re.compile(r"^\s*(\w+_answer)\s*=\s*(.+?)\s*#\s*SOLUTION\s*$", re.M)


@dataclass(frozen=True)
class ChoiceItem:
    """One multiple-choice question: its stem, its options by letter and its key."""

    name: str
    stem: str
    options: dict[str, str]
    key: str


@dataclass
class Master:
    """The gradable closed items of one master."""

    path: Path
    choice_items: list[ChoiceItem] = field(default_factory=list)
    true_false_keys: dict[str, bool] = field(default_factory=dict)
    true_false_statements: dict[str, str] = field(default_factory=dict)  # the statement a key judges

    @property
    def true_share(self) -> float | None:
        keys = list(self.true_false_keys.values())
        return sum(keys) / len(keys) if keys else None


def plain_text(text: str) -> str:
    """Option or stem text without Markdown emphasis, code ticks or math delimiters."""
    return re.sub(r"[*`$\\]", "", text).strip()


def _options(prompt: str) -> tuple[str, dict[str, str]]:
    """Split a question's prompt into its stem and its lettered options (A, B, C, ... in order)."""
    stem_lines: list[str] = []
    options: dict[str, list[str]] = {}
    current: str | None = None
    for line in prompt.splitlines():
        match = OPTION_LINE.match(line)
        expected = chr(ord("A") + len(options))
        if match and match.group(1) == expected:
            current = expected
            options[current] = [match.group(2)]
        elif current and line.strip():
            options[current].append(line.strip())
        elif not line.strip():
            current = None
        elif not options:
            stem_lines.append(line.strip())
    stem = re.sub(r"^\*\*[^*]{1,60}\*\*", "", " ".join(stem_lines))  # the bold label: **Question 3.**
    return plain_text(stem), {letter: plain_text(" ".join(parts)) for letter, parts in options.items()}


def _statement(prompt: str) -> str:
    """A true/false prompt's statement: without its bold label, "True or false:" and the
    paragraph that says how to answer."""
    prompt = re.sub(r"```[\w-]*\s*#?\s*$", "", prompt.strip())  # the opening of the solution fence
    paragraphs = [p for p in re.split(r"\n\s*\n", prompt) if p.strip() and "_answer" not in p]
    text = re.sub(r"^\*\*[^*]{1,80}\*\*", "", " ".join(" ".join(p.split()) for p in paragraphs).strip())
    return plain_text(re.sub(r"^\s*true or false[:.?]?\s*", "", text.strip(), flags=re.I))


def parse_master(path: Path | str) -> Master:
    """Every multiple-choice item (with a literal letter key) and true/false key of a master."""
    path = Path(path)
    master = Master(path)
    for block in QUESTION_BLOCK.findall(path.read_text(encoding="utf-8")):
        name_match = re.search(r"^name:\s*(\S+)", block, re.M)
        key_match = KEY_LINE.search(block)
        if not name_match or not key_match:
            continue
        try:
            key = ast.literal_eval(key_match.group(2))
        except (ValueError, SyntaxError):
            continue  # a computed answer: napkin math, not a closed item
        name = name_match.group(1)
        prompt = FENCE.sub("", block.split("BEGIN SOLUTION")[0].split("```", 1)[-1])
        if isinstance(key, bool):
            master.true_false_keys[name] = key
            master.true_false_statements[name] = _statement(prompt)
            continue
        stem, options = _options(prompt)
        if isinstance(key, str) and len(options) >= 2 and key.upper() in options:
            master.choice_items.append(ChoiceItem(name, stem, options, key.upper()))
    return master


def masters(paths: list[str] | None = None) -> list[Master]:
    """The given masters parsed, or every chapter master in ``solutions/`` (``NN_topic.md``)."""
    files = [Path(p) for p in paths] if paths else sorted(SOLUTIONS.glob("[0-9][0-9]_*.md"))
    return [parse_master(p) for p in files]
