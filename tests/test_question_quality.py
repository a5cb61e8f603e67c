"""No surface cues in the closed questions (issue 11, §1): blind strategies stay near chance.

The project test holds every master to ``LIMIT`` (35 %; chance is 25 %) for every blind strategy of
``autograder.question_quality``, and true/false keys to 35-65 % True. The unit tests below run
each strategy on a tiny synthetic master built so that the strategy should win, so a broken
strategy (one that can never score) fails here instead of passing the project test vacuously.

Note for authors: "most common letter" scores at least ceil(n/4)/n, so a master with five
four-option items cannot pass (2/5 = 40 %); add an item or give one item a fifth option.
"""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

from autograder import question_quality as qq

MASTERS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.md"))


@pytest.mark.parametrize("master", MASTERS, ids=[m.stem for m in MASTERS])
def test_no_blind_strategy_beats_the_limit(master):
    parsed = qq.parse_master(master)
    assert len(parsed.choice_items) >= 4, "the parser found too few multiple-choice items"
    problems = qq.violations(parsed)
    assert not problems, "\n".join(problems) + "\n\n" + qq.table([parsed])


@pytest.mark.parametrize("master", MASTERS, ids=[m.stem for m in MASTERS])
def test_every_letter_keyed_question_is_audited(master):
    """An item whose options the parser cannot read would escape the audit: none may."""
    keyed = re.findall(
        r'^\s*(\w+)_answer\s*=\s*["\']([A-Ha-h])["\']\s*#\s*SOLUTION\s*$', master.read_text(encoding="utf-8"), re.M
    )
    parsed = {item.name for item in qq.parse_master(master).choice_items}
    assert sorted(name for name, _ in keyed) == sorted(parsed)


def test_true_false_keys_are_balanced_course_wide():
    # Masters with fewer than 3 true/false items are not checked one by one (one item is 0 % or
    # 100 % True by necessity); `violations` checks those with 3 or more, this test the course.
    keys = [key for m in qq.masters() for key in m.true_false_keys.values()]
    assert len(keys) >= 6
    low, high = qq.TRUE_SHARE
    assert low <= sum(keys) / len(keys) <= high, f"{sum(keys)}/{len(keys)} true/false keys are True"


# ---------------------------------------------------------------- a synthetic master

FILLER = "reasonable words here"


def question(name: str, stem: str, options: list[str], key: object, bullet: str = "- ") -> str:
    letters = "ABCDEFGH"
    lines = "\n".join(f"{bullet}{letters[i]}. {text}" for i, text in enumerate(options))
    return f"""
```otter
# BEGIN QUESTION
name: {name}
points: 1
```

**Question.** {stem}

{lines}

Set `{name}_answer` to a letter in quotes.

```otter
# BEGIN SOLUTION
```

```{{code-cell}} ipython3
{name}_answer = {key!r}  # SOLUTION
```

```otter
# END SOLUTION
```

```otter
# END QUESTION
```
"""


def master_of(tmp_path, *questions: str) -> qq.Master:
    path = tmp_path / "99_synthetic.md"
    path.write_text("# Synthetic\n" + "".join(questions), encoding="utf-8")
    return qq.parse_master(path)


def shares_when_key_is(tmp_path, key_text: str, distractors: list[str], stem: str = "Which one?") -> dict[str, float]:
    """Four items, the key placed at A, B, C and D in turn."""
    items = []
    for i, letter in enumerate("ABCD"):
        options = list(distractors)
        options.insert(i, key_text)
        items.append(question(f"q{i + 1}", stem, options, letter))
    return qq.strategy_shares(master_of(tmp_path, *items))


def test_parser_reads_options_stem_key_and_continuation_lines(tmp_path):
    text = question("q1", "Which tier stalls?", ["alpha", "beta\n  continued", "gamma", "delta"], "B")
    text += question("q2", "Plain letters?", ["one", "two", "three"], "c", bullet="")
    text += (
        question("q3", "Bold letters?", ["x", "y"], "A", bullet="- **").replace(". x", ".** x").replace(". y", ".** y")
    )
    text += question("q4", "True or false?", [], True)
    text += question("napkin", "How many?", [], "ignored").replace("'ignored'", "ml.bandwidth.upload_time(1)")
    m = master_of(tmp_path, text)
    assert [i.name for i in m.choice_items] == ["q1", "q2", "q3"]
    first = m.choice_items[0]
    assert first.stem == "Which tier stalls?"
    assert first.options == {"A": "alpha", "B": "beta continued", "C": "gamma", "D": "delta"}
    assert first.key == "B"
    assert m.choice_items[1].key == "C" and len(m.choice_items[1].options) == 3
    assert m.choice_items[2].options == {"A": "x", "B": "y"}
    assert m.true_false_keys == {"q4": True}


def test_longest_and_shortest(tmp_path):
    long_key = shares_when_key_is(
        tmp_path, "a much longer option " + FILLER * 3, ["short one", "short two", "short six"]
    )
    assert long_key["longest"] == 1 and long_key["shortest"] == 0
    short_key = shares_when_key_is(
        tmp_path, "tiny", ["a longer option " + FILLER, "another longer " + FILLER, "third long " + FILLER]
    )
    assert short_key["shortest"] == 1 and short_key["longest"] == 0


def test_ties_earn_fractional_credit(tmp_path):
    shares = shares_when_key_is(tmp_path, "aaaa", ["bbbb", "cccc", "dddd"])
    assert shares["longest"] == pytest.approx(0.25)
    assert shares["no_absolutes"] == pytest.approx(0.25)


def test_absolutes_and_hedges(tmp_path):
    shares = shares_when_key_is(
        tmp_path,
        "it often depends and may vary",
        ["it always works for every case", "it never fails at all", "it must only ever hold"],
    )
    assert shares["no_absolutes"] == 1
    assert shares["most_hedged"] == 1


def test_technical_vocabulary_numbers_and_explanations(tmp_path):
    shares = shares_when_key_is(
        tmp_path,
        "HBM bandwidth at FP16 bounds 70B decode: throughput-limited, because weights stream",
        ["plain simple words said", "other plain words said", "more plain words said"],
    )
    assert shares["most_technical"] == 1
    assert shares["with_numbers"] == 1
    assert shares["most_explained"] == 1


def test_stem_overlap(tmp_path):
    shares = shares_when_key_is(
        tmp_path,
        "the shuffle stalls the loader",
        ["zebra quartz violin", "maple orbit canyon", "harbor tulip lantern"],
        stem="Why does the random shuffle stall the data loader?",
    )
    assert shares["stem_overlap"] == 1


def test_odd_one_out_and_most_central(tmp_path):
    odd = shares_when_key_is(
        tmp_path,
        "completely unrelated phrasing entirely",
        ["latency budget tail binds", "latency budget tail matters", "latency budget tail dominates"],
    )
    assert odd["odd_one_out"] == 1
    central = shares_when_key_is(
        tmp_path,
        "latency budget tail binds throughput",
        ["latency budget only", "tail binds only", "zebra quartz violin"],
    )
    assert central["most_central"] == 1


def test_letter_strategies(tmp_path):
    items = [question(f"q{i}", "Which?", ["w one", "x two", "y three", "z four"], "B") for i in range(1, 5)]
    shares = qq.strategy_shares(master_of(tmp_path, *items))
    assert shares["common_letter"] == 1 and shares["always_B"] == 1 and shares["always_C"] == 0


def test_violations_name_the_strategy_and_the_true_share(tmp_path):
    items = [
        question(f"q{i}", "Which?", ["short", "a much longer option " + FILLER, "mid one", "mid two"], "B")
        for i in range(1, 5)
    ]
    items += [question(f"tf{i}", "True?", [], False) for i in range(3)]
    problems = qq.violations(master_of(tmp_path, *items))
    assert any("'longest'" in p for p in problems)
    assert any("0 % of true/false keys are True" in p for p in problems)


def test_command_prints_a_row_per_master(capsys):
    assert qq.main([str(MASTERS[0])]) == 0
    out = capsys.readouterr().out
    assert MASTERS[0].stem in out and "longest" in out
