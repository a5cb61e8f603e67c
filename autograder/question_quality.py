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

Usage: ``python -m autograder.question_quality [MASTER ...]`` (all masters by default) prints one
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

ROOT = Path(__file__).resolve().parent.parent
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
        if isinstance(key, bool):
            master.true_false_keys[name] = key
            continue
        prompt = FENCE.sub("", block.split("BEGIN SOLUTION")[0].split("```", 1)[-1])
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


def main(argv: list[str] | None = None) -> int:
    print(table(masters(list(sys.argv[1:] if argv is None else argv))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
