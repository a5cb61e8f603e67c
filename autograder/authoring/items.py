"""An item's authoring metadata: the ```` ```item ```` fences of a master (issue 21).

Each auto-graded question of a master may carry, right after its ``# BEGIN QUESTION`` otter
fence, one fenced block of YAML with the info string ``item`` (the contract is in
``solutions/README.md``)::

    intent: understanding            # understanding | recall | procedure
    distractors:                     # multiple choice: one entry per WRONG option, by the master's letter
      A: {misconception: "treating the launch as the end of the work", section: "§1.2"}
    wrong_methods:                   # napkin math: plausible wrong methods the tolerance must fail
      - {name: "forgets to compound", expression: "failure_in['budget_percent'] / 100 / 8"}
    pair: q7                         # true/false: the item stating the opposite-truth version

This module reads those fences from the master's text (the pipeline drops them before ``otter
assign``, :func:`autograder.authoring.assign.drop_item_fences`, so they never reach a student), attaches
each to its question (the nearest preceding ``# BEGIN QUESTION``), checks them against the
question they describe (:func:`problems`) and packs them for the autograder zip
(``mlsys_items.json``, :func:`for_grader`), where the grader turns a chosen distractor into
feedback (:mod:`autograder.grading.misconceptions`) and the class report counts misconceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

INTENTS = ("understanding", "recall", "procedure")
"""understanding: a step the chapter did not show; recall: restates the chapter; procedure: a
shown rule applied to new numbers."""

QUESTION_FENCE = re.compile(r"^```otter[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
ITEM_FENCE = re.compile(r"^```item[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
LETTERS = "ABCDEFGH"
ITEMS_FILE = "mlsys_items.json"
"""The parsed items in the autograder zip, beside ``mlsys_variants.json``."""


class ItemError(ValueError):
    """A master's item fence cannot be read (the message names master, question and field)."""


@dataclass(frozen=True)
class Distractor:
    """A wrong option: the belief that leads to it and the section that corrects it."""

    misconception: str
    section: str


@dataclass(frozen=True)
class WrongMethod:
    """A plausible wrong way to a napkin answer, as a Python expression over the solution's names."""

    name: str
    expression: str
    variable: str | None = None  # the answer it replaces (default: the question's only answer)


@dataclass
class Item:
    """The metadata of one question (empty fields when its fence leaves them out)."""

    question: str
    line: int  # where the fence starts in the master (1-based)
    intent: str | None = None
    distractors: dict[str, Distractor] = field(default_factory=dict)
    wrong_methods: list[WrongMethod] = field(default_factory=list)
    pair: str | None = None


def _question_starts(text: str) -> list[tuple[int, str]]:
    """``(offset, name)`` of every ``# BEGIN QUESTION`` fence, in order."""
    starts = []
    for match in QUESTION_FENCE.finditer(text):
        body = match.group(1)
        if re.match(r"\s*#\s*BEGIN QUESTION\b", body):
            name = re.search(r"^name:\s*(\S+)", body, re.M)
            starts.append((match.start(), name.group(1) if name else "?"))
    return starts


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ItemError(f"{where}: needs a non-empty text")
    return value.strip()


def _item(question: str, line: int, data, where: str) -> Item:
    """One fence's YAML as an :class:`Item`; an :class:`ItemError` for a wrong shape."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ItemError(f"{where}: the fence must hold a YAML mapping (intent:, distractors:, ...)")
    unknown = set(data) - {"intent", "distractors", "wrong_methods", "pair"}
    if unknown:
        raise ItemError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    item = Item(question, line)
    if "intent" in data:
        item.intent = str(data["intent"]).strip() if data["intent"] is not None else None
    distractors = data.get("distractors") or {}
    if not isinstance(distractors, dict):
        raise ItemError(f"{where}: distractors: must map option letters to misconception and section")
    for letter, entry in distractors.items():
        letter = str(letter).strip().upper()
        here = f"{where}: distractors: {letter}"
        if not isinstance(entry, dict):
            raise ItemError(f"{here}: needs misconception: and section:")
        item.distractors[letter] = Distractor(
            _text(entry.get("misconception"), f"{here}: misconception"), _text(entry.get("section"), f"{here}: section")
        )
    methods = data.get("wrong_methods") or []
    if not isinstance(methods, list):
        raise ItemError(f"{where}: wrong_methods: must be a list of name: / expression: entries")
    for number, entry in enumerate(methods, start=1):
        here = f"{where}: wrong_methods[{number}]"
        if not isinstance(entry, dict):
            raise ItemError(f"{here}: needs name: and expression:")
        expression = _text(entry.get("expression"), f"{here}: expression")
        try:
            compile(expression, here, "eval")
        except SyntaxError as exc:
            raise ItemError(f"{here}: expression: is not a Python expression ({exc.msg})") from exc
        variable = entry.get("variable")
        item.wrong_methods.append(
            WrongMethod(_text(entry.get("name"), f"{here}: name"), expression, str(variable) if variable else None)
        )
    if data.get("pair") is not None:
        item.pair = str(data["pair"]).strip()
    return item


def parse_text(text: str, master: str = "master") -> dict[str, Item]:
    """``{question: Item}`` of every ```` ```item ```` fence in a master's text."""
    import yaml

    starts = _question_starts(text)
    items: dict[str, Item] = {}
    for match in ITEM_FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        owners = [name for offset, name in starts if offset < match.start()]
        if not owners:
            raise ItemError(f"{master}: line {line}: an item fence before any # BEGIN QUESTION")
        question = owners[-1]
        where = f"{master}: {question}"
        if question in items:
            raise ItemError(f"{where}: two item fences (line {items[question].line} and line {line})")
        try:
            data = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise ItemError(f"{where}: the item fence at line {line} is not YAML ({exc})") from exc
        items[question] = _item(question, line, data, where)
    return items


def parse_master(path: Path | str) -> dict[str, Item]:
    """``{question: Item}`` of a master file."""
    path = Path(path)
    return parse_text(path.read_text(encoding="utf-8"), path.stem)


# ---------------------------------------------------------------- checks against the questions


@dataclass(frozen=True)
class QuestionFacts:
    """What the checks need to know of one question of a master."""

    name: str
    points: float
    manual: bool
    kind: str  # "choice", "true_false", "napkin" (a tolerance test), "other"
    options: tuple[str, ...] = ()  # a choice item's letters
    key: str | bool | None = None


QUESTION_BLOCK = re.compile(r"#\s*BEGIN QUESTION\b(.*?)#\s*END QUESTION\b", re.S)


def question_facts(path: Path | str) -> dict[str, QuestionFacts]:
    """Every question of a master: points, manual or not, and its kind (from its key and tests)."""
    from autograder.authoring import closed_items

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    closed = closed_items.parse_master(path)
    choices = {c.name: c for c in closed.choice_items}
    facts = {}
    for block in QUESTION_BLOCK.findall(text):
        name = re.search(r"^name:\s*(\S+)", block, re.M)
        if not name:
            continue
        name = name.group(1)
        points = re.search(r"^points:\s*([0-9.]+)", block, re.M)
        manual = bool(re.search(r"^manual:\s*true\b", block, re.M | re.I))
        if name in choices:
            kind, options, key = "choice", tuple(choices[name].options), choices[name].key
        elif name in closed.true_false_keys:
            kind, options, key = "true_false", (), closed.true_false_keys[name]
        elif not manual and "expect_number(" in block:
            kind, options, key = "napkin", (), None
        else:
            kind, options, key = "other", (), None
        facts[name] = QuestionFacts(name, float(points.group(1)) if points else 0.0, manual, kind, options, key)
    return facts


def check(items: dict[str, Item], facts: dict[str, QuestionFacts], master: str) -> list[str]:
    """What is wrong with the items of one master, each message naming master, question and field."""
    found = []
    for name, item in items.items():
        where = f"{master}: {name}"
        fact = facts.get(name)
        if fact is None:
            found.append(f"{where}: the item fence names no question of the master")
            continue
        if item.intent is not None and item.intent not in INTENTS:
            found.append(f"{where}: intent: {item.intent!r} is not one of {', '.join(INTENTS)}")
        if item.distractors and fact.kind != "choice":
            found.append(f"{where}: distractors: the question has no lettered options")
        for letter in item.distractors:
            if fact.kind != "choice":
                break
            if letter not in fact.options:
                found.append(f"{where}: distractors: {letter} is not an option ({', '.join(fact.options)})")
            elif letter == fact.key:
                found.append(f"{where}: distractors: {letter} is the key, not a distractor")
        if item.wrong_methods and fact.kind != "napkin":
            found.append(f"{where}: wrong_methods: the question has no tolerance test (expect_number)")
        if item.pair is not None:
            partner = facts.get(item.pair)
            if fact.kind != "true_false":
                found.append(f"{where}: pair: only a true/false item has a pair")
            elif partner is None or partner.kind != "true_false":
                found.append(f"{where}: pair: {item.pair} is not a true/false item of the master")
            elif item.pair == name:
                found.append(f"{where}: pair: an item cannot pair with itself")
            elif partner.key == fact.key:
                found.append(f"{where}: pair: {item.pair} has the same key ({fact.key}), not the opposite truth")
    return found


def problems(path: Path | str) -> list[str]:
    """Every problem with a master's item fences (unreadable fences included), as messages."""
    path = Path(path)
    try:
        items = parse_master(path)
    except ItemError as exc:
        return [str(exc)]
    return check(items, question_facts(path), path.stem)


def paired(items: dict[str, Item], facts: dict[str, QuestionFacts]) -> set[str]:
    """The true/false questions that are in a pair (a pair named from either side counts for both)."""
    found = set()
    for name, item in items.items():
        partner = facts.get(item.pair or "")
        if facts.get(name) and facts[name].kind == "true_false" and partner and partner.kind == "true_false":
            found |= {name, item.pair}
    return found


# ---------------------------------------------------------------- for the grader


def for_grader(path: Path | str) -> dict:
    """What the autograder zip carries (``mlsys_items.json``): per question its intent and each
    distractor's misconception and section, by the master's letter. Wrong methods stay out (the
    grader does not need them)."""
    items = parse_master(path)
    return {
        "questions": {
            name: {
                "intent": item.intent,
                "distractors": {
                    letter: {"misconception": d.misconception, "section": d.section}
                    for letter, d in sorted(item.distractors.items())
                },
            }
            for name, item in sorted(items.items())
        }
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m autograder.authoring.items [MASTER ...]``: the problems with each master's item fences."""
    import sys

    from autograder.authoring.assign import AssignError, resolve_masters

    try:
        paths = resolve_masters(list(sys.argv[1:] if argv is None else argv))
    except AssignError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    bad = 0
    for path in paths:
        found = problems(path)
        bad += len(found)
        try:
            count = str(len(parse_master(path)))
        except ItemError:
            count = "?"
        print(f"{path.stem}: {count} item fences, {len(found)} problems")
        for message in found:
            print(f"  {message}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
