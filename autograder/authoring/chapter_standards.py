"""The chapter's standards for its closed and napkin items (issue 21), measured per master.

Beyond the blind strategies (:mod:`autograder.authoring.blind_strategies`): the share of
auto-graded points that test understanding, the word that best predicts the true/false keys (a
tell), the share of true/false items that come in pairs, items without an intent, distractors
without a misconception, napkin items without wrong methods, fences that do not parse and, over
a roster of ids, every wrong method the tolerance lets through
(:mod:`autograder.authoring.wrong_methods`). ``tests/test_question_quality.py`` holds every master
to :meth:`Quality.failures`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.authoring.blind_strategies import ABSOLUTES, HEDGES, LIMIT, strategy_shares, words
from autograder.authoring.closed_items import parse_master

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
    return {w.lower().replace("’", "'") for w in words(text)}


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
