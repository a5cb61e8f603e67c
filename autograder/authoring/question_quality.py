"""Blind strategies against the masters' multiple-choice and true/false items (issue 11, §1).

A question measures understanding only if a student who has not read the course cannot pass it
by a surface cue: picking the longest option, avoiding absolutes ("always", "only"), picking the
most hedged or most technical-sounding option, echoing the stem, or always answering the same
letter. This module parses each master in ``solutions/`` (``otter`` question blocks, options
written ``A. ...`` with or without a ``-`` bullet or bold letter, keys on solution lines such as
``q3_answer = "C"  # SOLUTION``) and computes, per master, the share of multiple-choice items
each blind strategy gets right. A strategy that picks several options (a tie) earns ``1/k`` of
the item when the key is among its ``k`` picks, so "no information" scores chance, 1/4.

It also reports the share of true/false keys that are ``True``.

Usage: ``python -m autograder.authoring.question_quality [MASTER ...]`` (all masters by default) prints one
row per master and one column per strategy. ``tests/test_question_quality.py`` holds every master
to at most ``LIMIT`` per strategy and ``TRUE_SHARE`` for true/false keys.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"

LIMIT = 0.35  # at most this share of MC items for any blind strategy (chance is 0.25)
TRUE_SHARE = (0.35, 0.65)  # allowed share of True among true/false keys

ABSOLUTES = {
    "always",
    "only",
    "never",
    "guaranteed",
    "guarantee",
    "guarantees",
    "all",
    "none",
    "must",
    "every",
    "everything",
    "cannot",
    "can't",
    "no",
    "nothing",
    "any",
    "whatever",
    "entirely",
    "completely",
    "fully",
    "solely",
    "purely",
    "alone",
    "impossible",
    "certainly",
    "necessarily",
    "automatically",
    "regardless",
    "forever",
    "totally",
    "exactly",
}
HEDGES = {
    "may",
    "might",
    "can",
    "could",
    "often",
    "typically",
    "usually",
    "depends",
    "depending",
    "generally",
    "tend",
    "tends",
    "likely",
    "sometimes",
    "some",
    "largely",
    "mostly",
    "partly",
    "partially",
    "rarely",
    "probably",
    "perhaps",
    "roughly",
    "about",
    "around",
    "approximately",
    "unless",
    "if",
    "whether",
    "relatively",
    "frequently",
    "provided",
    "somewhat",
    "fairly",
    "enough",
    "possibly",
    "until",
    "when",
}
CONNECTIVES = {"because", "so", "since", "therefore", "thus", "hence", "which", "whereas", "while"}
STOPWORDS = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "for",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "with",
    "as",
    "by",
    "at",
    "from",
    "into",
    "than",
    "then",
    "there",
    "their",
    "they",
    "them",
    "what",
    "which",
    "who",
    "how",
    "why",
    "does",
    "do",
    "did",
    "not",
    "but",
    "so",
    "if",
    "has",
    "have",
    "had",
    "one",
    "each",
    "more",
    "most",
    "team",
    "question",
    "true",
    "false",
    "statement",
    "best",
    "describes",
    "following",
}

OPTION_LINE = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*)?\(?([A-H])[.)](?:\*\*)?\s+(\S.*)$")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
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


# ---------------------------------------------------------------- parsing


def _plain(text: str) -> str:
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
    return _plain(stem), {letter: _plain(" ".join(parts)) for letter, parts in options.items()}


def _statement(prompt: str) -> str:
    """A true/false prompt's statement: without its bold label, "True or false:" and the
    paragraph that says how to answer."""
    prompt = re.sub(r"```[\w-]*\s*#?\s*$", "", prompt.strip())  # the opening of the solution fence
    paragraphs = [p for p in re.split(r"\n\s*\n", prompt) if p.strip() and "_answer" not in p]
    text = re.sub(r"^\*\*[^*]{1,80}\*\*", "", " ".join(" ".join(p.split()) for p in paragraphs).strip())
    return _plain(re.sub(r"^\s*true or false[:.?]?\s*", "", text.strip(), flags=re.I))


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


# ---------------------------------------------------------------- text features


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _content_stems(text: str) -> set[str]:
    """Lower-cased content words cut to six letters: a crude stemmer good enough for overlap."""
    return {w.lower()[:6] for w in _words(text) if w.lower() not in STOPWORDS and len(w) > 2}


def _count(words: set[str], text: str) -> int:
    return sum(1 for w in _words(text) if w.lower().replace("’", "'") in words)


def _technical_terms(text: str) -> int:
    """Acronyms (FP16, HBM, P99), numbers, hyphenated compounds and long words."""
    return sum(1 for w in _words(text) if re.search(r"[A-Z].*[A-Z0-9]|\d", w) or "-" in w.strip("-") or len(w) >= 10)


def _has_number(text: str) -> int:
    return int(bool(re.search(r"\d", text)))


def _explanation_marks(text: str) -> int:
    """How much of an option is justification: 'because', 'so', 'which', colons, semicolons."""
    return _count(CONNECTIVES, text) + text.count(":") + text.count(";")


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _mean_similarity(item: ChoiceItem) -> dict[str, float]:
    stems = {letter: _content_stems(text) for letter, text in item.options.items()}
    return {
        letter: sum(_similarity(own, stems[other]) for other in stems if other != letter) / (len(stems) - 1)
        for letter, own in stems.items()
    }


# ---------------------------------------------------------------- strategies

Picks = frozenset  # the letters a strategy chooses for one item (several on a tie)
Strategy = Callable[[ChoiceItem, Master], Picks]


def _extreme(values: dict[str, float], highest: bool = True) -> Picks:
    target = max(values.values()) if highest else min(values.values())
    return frozenset(letter for letter, value in values.items() if value == target)


def _by_option(feature: Callable[[str], float], highest: bool = True) -> Strategy:
    def strategy(item: ChoiceItem, master: Master) -> Picks:
        return _extreme({letter: feature(text) for letter, text in item.options.items()}, highest)

    return strategy


def _stem_overlap(item: ChoiceItem, master: Master) -> Picks:
    stem = _content_stems(item.stem)
    return _extreme({letter: len(_content_stems(text) & stem) for letter, text in item.options.items()})


def _odd_one_out(item: ChoiceItem, master: Master) -> Picks:
    return _extreme(_mean_similarity(item), highest=False)


def _most_central(item: ChoiceItem, master: Master) -> Picks:
    return _extreme(_mean_similarity(item), highest=True)


def _common_letter(item: ChoiceItem, master: Master) -> Picks:
    """The letter most often keyed in the notebook (what a student learns by guessing and checking)."""
    counts = Counter(i.key for i in master.choice_items)
    picks = _extreme({letter: counts.get(letter, 0) for letter in item.options})
    return picks


def _always(letter: str) -> Strategy:
    def strategy(item: ChoiceItem, master: Master) -> Picks:
        return frozenset(letter) if letter in item.options else frozenset(item.options)

    return strategy


STRATEGIES: dict[str, Strategy] = {
    "longest": _by_option(lambda text: len(text)),
    "shortest": _by_option(lambda text: len(text), highest=False),
    "no_absolutes": _by_option(lambda text: _count(ABSOLUTES, text), highest=False),
    "most_hedged": _by_option(lambda text: _count(HEDGES, text)),
    "most_technical": _by_option(_technical_terms),
    "stem_overlap": _stem_overlap,
    "most_explained": _by_option(_explanation_marks),
    "with_numbers": _by_option(_has_number),
    "odd_one_out": _odd_one_out,
    "most_central": _most_central,
    "common_letter": _common_letter,
    "always_B": _always("B"),
    "always_C": _always("C"),
}


def item_credit(strategy: Strategy, item: ChoiceItem, master: Master) -> float:
    """1/k when the key is among the strategy's k picks, else 0."""
    picks = strategy(item, master)
    return 1 / len(picks) if item.key in picks else 0.0


def strategy_shares(master: Master) -> dict[str, float]:
    """Share of the master's multiple-choice items each blind strategy gets right."""
    items = master.choice_items
    return {
        name: sum(item_credit(strategy, item, master) for item in items) / len(items) if items else 0.0
        for name, strategy in STRATEGIES.items()
    }


def violations(master: Master) -> list[str]:
    """What breaks the limits in one master (true/false balance is checked course-wide too)."""
    found = [
        f"{master.path.stem}: '{name}' gets {100 * share:.0f} % of {len(master.choice_items)} MC items right"
        for name, share in strategy_shares(master).items()
        if share > LIMIT + 1e-9
    ]
    low, high = TRUE_SHARE
    if len(master.true_false_keys) >= 3 and not low <= master.true_share <= high:
        found.append(f"{master.path.stem}: {100 * master.true_share:.0f} % of true/false keys are True")
    return found


def masters(paths: list[str] | None = None) -> list[Master]:
    files = [Path(p) for p in paths] if paths else sorted(SOLUTIONS.glob("[0-9][0-9]_*.md"))
    return [parse_master(p) for p in files]


def table(parsed: list[Master]) -> str:
    """Master x strategy, in percent; then MC count, T/F count and T/F True share."""
    names = list(STRATEGIES)
    width = max(len(m.path.stem) for m in parsed) if parsed else 6
    lines = [" ".join([f"{'master':<{width}}", *(f"{n:>{max(len(n), 5)}}" for n in names), "   MC", "  T/F", " True%"])]
    for m in parsed:
        shares = strategy_shares(m)
        cells = [f"{100 * shares[n]:>{max(len(n), 5)}.0f}" for n in names]
        true = "    -" if m.true_share is None else f"{100 * m.true_share:5.0f}"
        lines.append(
            " ".join(
                [
                    f"{m.path.stem:<{width}}",
                    *cells,
                    f"{len(m.choice_items):5d}",
                    f"{len(m.true_false_keys):5d}",
                    f" {true}",
                ]
            )
        )
    trues = [v for m in parsed for v in m.true_false_keys.values()]
    if trues:
        lines.append(
            f"course-wide true/false keys: {sum(trues)}/{len(trues)} True ({100 * sum(trues) / len(trues):.0f} %)"
        )
    lines.append(
        f"limit: every strategy <= {100 * LIMIT:.0f} % (chance 25 %); True share {100 * TRUE_SHARE[0]:.0f}-{100 * TRUE_SHARE[1]:.0f} %"
    )
    return "\n".join(lines)


# ---------------------------------------------------------------- the chapter's quality (issue 21)

UNDERSTANDING_SHARE = 0.60  # at least this share of a chapter's auto-graded points test understanding
PAIRED_SHARE = 0.50  # at least this share of its true/false items come as true/false pairs
TELL_WORDS = HEDGES | ABSOLUTES | {"safely", "safe", "simply", "just", "merely", "harmless"}
"""Words whose presence might give a true/false key away (issue 21 §3: "safely", "usually" ...)."""
TELL_MIN_STATEMENTS = 2  # a word is judged once it occurs in at least this many statements
TELL_MARGIN = 2  # a word is a tell when its rule gets this many more keys right than the commoner key


@dataclass(frozen=True)
class Tell:
    """How well one word predicts a chapter's true/false keys.

    The rule "the word is present => False, absent => True" (or its reverse, whichever is
    better) is scored by its accuracy over the chapter's statements with a fixed key, against
    the majority-class rate (what "always answer the commoner key" gets). It is a tell when the
    rule gets at least ``TELL_MARGIN`` (2) more keys right than the commoner key does: a margin of
    one statement is what any word in an odd number of statements of a balanced set gets by
    construction, so it says nothing; "usually" in 11 of 11 false statements is a margin of 11."""

    word: str
    accuracy: float
    majority: float
    present_means: bool  # the key the rule gives when the word is present
    statements: int  # statements holding the word
    judged: int = 0  # statements the rule was scored on

    @property
    def margin(self) -> int:
        """Keys the rule gets right beyond what the commoner key gets."""
        return round((self.accuracy - self.majority) * self.judged)

    @property
    def is_tell(self) -> bool:
        return self.margin >= TELL_MARGIN


def _tokens(text: str) -> set[str]:
    return {w.lower().replace("’", "'") for w in _words(text)}


def word_tells(statements: dict[str, str], keys: dict[str, bool]) -> list[Tell]:
    """Each tell word present in at least TELL_MIN_STATEMENTS statements, best predictor first."""
    names = [n for n in statements if n in keys]
    if len(names) < 2:
        return []
    trues = sum(keys[n] for n in names)
    majority = max(trues, len(names) - trues) / len(names)
    tokens = {n: _tokens(statements[n]) for n in names}
    found = []
    for word in sorted(TELL_WORDS):
        present = [n for n in names if word in tokens[n]]
        if len(present) < TELL_MIN_STATEMENTS:
            continue
        right = sum(1 for n in names if (n in present) != keys[n])  # present => False, absent => True
        accuracy, means = max((right / len(names), False), (1 - right / len(names), True))
        found.append(Tell(word, accuracy, majority, means, len(present), len(names)))
    return sorted(found, key=lambda t: (-(t.accuracy - t.majority), t.word))


@dataclass
class Quality:
    """What :func:`chapter_quality` finds in one master."""

    master: str
    strategies: dict[str, float]
    choice_items: int
    understanding_points: float
    autograded_points: float
    tells: list[Tell]
    true_false: int
    paired: int
    missing_intent: list[str]
    missing_misconception: list[str]  # "q3: C"
    napkin_without_methods: list[str]
    item_problems: list[str]
    slips: list[str] | None = None  # None: the wrong-method harness was not run

    @property
    def worst_strategy(self) -> tuple[str, float]:
        return max(self.strategies.items(), key=lambda kv: kv[1]) if self.strategies else ("-", 0.0)

    @property
    def understanding_share(self) -> float | None:
        return self.understanding_points / self.autograded_points if self.autograded_points else None

    @property
    def paired_share(self) -> float | None:
        return self.paired / self.true_false if self.true_false else None

    @property
    def worst_tell(self) -> Tell | None:
        return self.tells[0] if self.tells else None

    def failures(self) -> dict[str, str]:
        """{check: what fails}: the checks ``tests/test_question_quality.py`` holds every master to."""
        found = {}
        name, share = self.worst_strategy
        if share > LIMIT + 1e-9:
            found["blind"] = f"'{name}' gets {100 * share:.0f} % of {self.choice_items} MC items right"
        if self.understanding_share is not None and self.understanding_share < UNDERSTANDING_SHARE - 1e-9:
            found["understanding"] = (
                f"{self.understanding_points:g} of {self.autograded_points:g} auto-graded points "
                f"({100 * self.understanding_share:.0f} %) test understanding"
            )
        tells = [t for t in self.tells if t.is_tell]
        if tells:
            found["tells"] = "; ".join(
                f"'{t.word}' (in {t.statements} of {t.judged} statements) => {t.present_means}: "
                f"{100 * t.accuracy:.0f} % right vs {100 * t.majority:.0f} % for the commoner key"
                for t in tells
            )
        if self.paired_share is not None and self.paired_share < PAIRED_SHARE - 1e-9:
            found["pairs"] = f"{self.paired} of {self.true_false} true/false items come in pairs"
        if self.missing_intent:
            found["intent"] = "no intent: " + ", ".join(self.missing_intent)
        if self.missing_misconception:
            found["misconceptions"] = "distractors without a misconception: " + ", ".join(self.missing_misconception)
        if self.napkin_without_methods:
            found["wrong_methods"] = "napkin items without wrong methods: " + ", ".join(self.napkin_without_methods)
        if self.item_problems:
            found["items"] = "; ".join(self.item_problems)
        if self.slips:
            found["slips"] = "; ".join(self.slips)
        return found


def chapter_quality(path: Path | str, ids: list[str] | None = None, secret: str | None = None) -> Quality:
    """Every issue-21 measure of one master; with ``ids`` (and the ``secret`` their codes derive
    from) also the wrong-method harness (:mod:`autograder.authoring.wrong_methods`) over those ids."""
    from autograder.authoring import items as item_fences

    path = Path(path)
    parsed = parse_master(path)
    facts = item_fences.question_facts(path)
    problems = item_fences.problems(path)
    try:
        fences = item_fences.parse_master(path)
    except item_fences.ItemError:
        fences = {}
    auto = {n: f for n, f in facts.items() if not f.manual}
    intent = {n: fences[n].intent if n in fences else None for n in auto}
    understanding = sum(f.points for n, f in auto.items() if intent[n] == "understanding")
    true_false = [n for n, f in auto.items() if f.kind == "true_false"]
    # a true/false item whose key is computed from the student's draw states the true and the false
    # version across variants (tests/test_variant_exercises.py holds it to two distinct answers)
    paired = item_fences.paired(fences, facts) | {n for n in true_false if facts[n].key is None}
    missing = []
    for item in parsed.choice_items:
        recorded = fences[item.name].distractors if item.name in fences else {}
        missing += [
            f"{item.name}: {letter}" for letter in item.options if letter != item.key and letter not in recorded
        ]
    quality = Quality(
        master=path.stem,
        strategies=strategy_shares(parsed),
        choice_items=len(parsed.choice_items),
        understanding_points=understanding,
        autograded_points=sum(f.points for f in auto.values()),
        tells=word_tells(parsed.true_false_statements, parsed.true_false_keys),
        true_false=len(true_false),
        paired=len([n for n in true_false if n in paired]),
        missing_intent=[n for n in auto if intent[n] is None],
        missing_misconception=missing,
        napkin_without_methods=[
            n for n, f in auto.items() if f.kind == "napkin" and not (n in fences and fences[n].wrong_methods)
        ],
        item_problems=problems,
    )
    if ids:
        from autograder.authoring import wrong_methods

        runs = wrong_methods.audit(path, ids, secret or AUDIT_SECRET)
        quality.slips = [run.describe() for run in runs if not run.ok]
    return quality


AUDIT_SECRET = "question-quality audit"
"""The secret the audit derives its roster ids' personal codes from: a draw depends only on the
code, so 300 ids under any secret sample 300 codes' draws; an instructor may pass their own."""


def quality_table(found: list[Quality]) -> str:
    """One row per chapter: the issue-21 measures and whether each meets its threshold."""
    width = max([len(q.master) for q in found] + [7])
    head = (
        f"{'chapter':<{width}} {'worst blind strategy':>22} {'understanding':>13} {'worst hedge word':>28} {'T/F pairs':>9} "
        f"{'no intent':>9} {'no misc.':>8} {'no wrong':>8} {'slips':>5}"
    )
    lines = [head]
    for q in found:
        name, share = q.worst_strategy
        under = "-" if q.understanding_share is None else f"{100 * q.understanding_share:.0f} %"
        tell = q.worst_tell
        word = "-" if tell is None else f"{tell.word} {100 * tell.accuracy:.0f}/{100 * tell.majority:.0f} %"
        word += " TELL" if tell is not None and tell.is_tell else ""
        pairs = "-" if q.paired_share is None else f"{q.paired}/{q.true_false}"
        slips = "-" if q.slips is None else str(len(q.slips))
        lines.append(
            f"{q.master:<{width}} {f'{name} {100 * share:.0f} %':>22} {under:>13} {word:>28} {pairs:>9} "
            f"{len(q.missing_intent):>9} {len(q.missing_misconception):>8} {len(q.napkin_without_methods):>8} "
            f"{slips:>5}"
        )
    lines.append(
        f"thresholds: blind <= {100 * LIMIT:.0f} %, understanding >= {100 * UNDERSTANDING_SHARE:.0f} % of "
        "auto-graded points, no hedge word beats the commoner key by 2+ statements (accuracy/majority), "
        f"T/F pairs >= {100 * PAIRED_SHARE:.0f} %, every item with intent, every distractor with a misconception, every "
        "napkin item with wrong methods, no slips"
    )
    for q in found:
        for check, what in q.failures().items():
            lines.append(f"  {q.master} {check}: {what}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m autograder.authoring.question_quality [MASTER ...] [--ids N]``: the blind strategies per
    master, then the issue-21 table per chapter (with the wrong-method harness over N ids;
    ``--ids 0`` leaves it out). Exits 1 when a chapter misses a threshold."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m autograder.authoring.question_quality", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("masters", nargs="*", help="master files (default: every chapter in solutions/)")
    parser.add_argument("--ids", type=int, default=300, help="roster ids for the wrong-method harness (0: skip it)")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    parsed = masters(args.masters)
    print(table(parsed))
    print()
    ids = [f"s{i:05d}" for i in range(args.ids)]
    found = [chapter_quality(m.path, ids) for m in parsed]
    print(quality_table(found))
    return 1 if any(q.failures() for q in found) else 0


if __name__ == "__main__":
    sys.exit(main())
