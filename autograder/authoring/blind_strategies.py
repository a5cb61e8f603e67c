"""Blind strategies against the masters' multiple-choice items (issue 11, §1).

A question measures understanding only if a student who has not read the course cannot pass it
by a surface cue: picking the longest option, avoiding absolutes ("always", "only"), picking the
most hedged or most technical-sounding option, echoing the stem, or always answering the same
letter. This module computes, per master (parsed by :mod:`autograder.authoring.closed_items`), the
share of multiple-choice items each blind strategy gets right. A strategy that picks several
options (a tie) earns ``1/k`` of the item when the key is among its ``k`` picks, so "no
information" scores chance, 1/4. ``tests/test_question_quality.py`` holds every master to at most
``LIMIT`` per strategy and ``TRUE_SHARE`` for true/false keys.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable

from autograder.authoring.closed_items import ChoiceItem, Master

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

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")


# ---------------------------------------------------------------- text features


def words(text: str) -> list[str]:
    """The words of a text (letters, digits, apostrophes and hyphens), in order."""
    return WORD.findall(text)


def _content_stems(text: str) -> set[str]:
    """Lower-cased content words cut to six letters: a crude stemmer good enough for overlap."""
    return {w.lower()[:6] for w in words(text) if w.lower() not in STOPWORDS and len(w) > 2}


def _count(vocabulary: set[str], text: str) -> int:
    return sum(1 for w in words(text) if w.lower().replace("’", "'") in vocabulary)


def _technical_terms(text: str) -> int:
    """Acronyms (FP16, HBM, P99), numbers, hyphenated compounds and long words."""
    return sum(1 for w in words(text) if re.search(r"[A-Z].*[A-Z0-9]|\d", w) or "-" in w.strip("-") or len(w) >= 10)


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
