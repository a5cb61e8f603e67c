"""Blind strategies against the masters' multiple-choice and true/false items (issue 11, §1).

The question-quality report. ``python -m autograder.authoring.question_quality [MASTER ...] [--ids N]``
(all masters by default) prints one row per master and one column per blind strategy
(:mod:`autograder.authoring.blind_strategies`: the share of its multiple-choice items each gets
right), with its counts of closed items and the share of true/false keys that are ``True``; then
one row per chapter with the issue-21 standards (:mod:`autograder.authoring.chapter_standards`)
and every check a chapter misses. Masters are read by :mod:`autograder.authoring.closed_items`.
``tests/test_question_quality.py`` holds every master to the same thresholds.
"""

from __future__ import annotations

import sys

from autograder.authoring.blind_strategies import LIMIT, STRATEGIES, TRUE_SHARE, strategy_shares
from autograder.authoring.chapter_standards import PAIRED_SHARE, UNDERSTANDING_SHARE, Quality, chapter_quality
from autograder.authoring.closed_items import Master, masters


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
