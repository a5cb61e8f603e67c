"""Closed questions that need the course (issues 11 and 21), held for every chapter.

The project tests hold every master to the thresholds of ``autograder.authoring.blind_strategies``
and ``autograder.authoring.chapter_standards`` (the report: ``autograder.authoring.question_quality``):

* **blind**: no blind strategy (longest option, no absolutes, ...) beats ``LIMIT`` (35 %; chance is
  25 %), and true/false keys stay 35-65 % True;
* **understanding**: at least 60 % of the chapter's auto-graded points go to items whose ``intent``
  is understanding;
* **tells**: no hedging or absolute word predicts the true/false keys better than the majority key
  (by two statements or more, :class:`autograder.authoring.chapter_standards.Tell`);
* **pairs**: at least half of the true/false items come as a true and a false version of one idea;
* **intent**, **misconceptions**, **wrong_methods**, **items**: every auto-graded item has an
  intent, every distractor a misconception and section, every napkin item its wrong methods, and
  no item fence is malformed;
* **slips** (slow): over 300 roster ids, every napkin item's right method passes and each listed
  wrong method fails (the wrong-method harness, :mod:`autograder.authoring.wrong_methods`).

A (master, check) pair whose content is not finished yet is listed in ``XFAIL`` with the reason;
``strict=True`` makes it fail the moment the content meets the check, so the entry is removed.

The unit tests below run each measure on tiny synthetic masters built so that it should fire, so
a broken measure fails here instead of passing the project tests vacuously.

Note for authors: "most common letter" scores at least ceil(n/4)/n, so a master with five
four-option items cannot pass (2/5 = 40 %); add an item or give one item a fifth option.
"""

from __future__ import annotations

import functools
import math
import re

import pytest
from helpers import ROOT

from autograder.authoring import blind_strategies, chapter_standards, closed_items, items, wrong_methods
from autograder.authoring import question_quality as qq

MASTERS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.md"))
FIXTURE = ROOT / "tests" / "fixtures" / "97_items.md"
IDS = [f"s{i:05d}" for i in range(300)]

XFAIL: dict[tuple[str, str], str] = {}
"""(master, check) -> why it cannot pass yet (the coordinator resolves these)."""


def _cases(*checks: str) -> list:
    cases = []
    for master in MASTERS:
        for check in checks:
            reason = XFAIL.get((master.stem, check))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(master, check, id=f"{master.stem}-{check}", marks=marks))
    return cases


@functools.cache
def _quality(master) -> chapter_standards.Quality:
    return chapter_standards.chapter_quality(master)


@pytest.mark.parametrize(("master", "check"), _cases("blind"))
def test_no_blind_strategy_beats_the_limit(master, check):
    parsed = closed_items.parse_master(master)
    assert len(parsed.choice_items) >= 4, "the parser found too few multiple-choice items"
    problems = blind_strategies.violations(parsed)
    assert not problems, "\n".join(problems) + "\n\n" + qq.table([parsed])


@pytest.mark.parametrize(
    ("master", "check"),
    _cases("understanding", "tells", "pairs", "intent", "misconceptions", "wrong_methods", "items"),
)
def test_every_chapter_meets_the_issue_21_checks(master, check):
    failures = _quality(master).failures()
    assert check not in failures, f"{master.stem} {check}: {failures[check]}"


@pytest.mark.slow
@pytest.mark.parametrize(("master", "check"), _cases("slips"))
def test_right_method_passes_and_every_wrong_method_fails_for_every_id(master, check):
    runs = wrong_methods.audit(master, IDS, chapter_standards.AUDIT_SECRET)
    napkins = {n for n, f in items.question_facts(master).items() if f.kind == "napkin"}
    assert {run.question for run in runs} == napkins, "a napkin item escaped the harness"
    assert all(run.ids == len(IDS) for run in runs), "a napkin item was not run for every id"
    slipped = [run.describe() for run in runs if not run.ok]
    assert not slipped, "\n".join(slipped)


def test_no_hedge_word_predicts_the_true_false_keys_course_wide():
    statements, keys = {}, {}
    for m in closed_items.masters():
        statements |= {f"{m.path.stem}:{n}": s for n, s in m.true_false_statements.items()}
        keys |= {f"{m.path.stem}:{n}": k for n, k in m.true_false_keys.items()}
    tells = [t for t in chapter_standards.word_tells(statements, keys) if t.is_tell]
    assert not tells, [(t.word, round(t.accuracy, 2), round(t.majority, 2), t.statements) for t in tells]


@pytest.mark.parametrize("master", MASTERS, ids=[m.stem for m in MASTERS])
def test_every_letter_keyed_question_is_audited(master):
    """An item whose options the parser cannot read would escape the audit: none may."""
    keyed = re.findall(
        r'^\s*(\w+)_answer\s*=\s*["\']([A-Ha-h])["\']\s*#\s*SOLUTION\s*$', master.read_text(encoding="utf-8"), re.M
    )
    parsed = {item.name for item in closed_items.parse_master(master).choice_items}
    assert sorted(name for name, _ in keyed) == sorted(parsed)


def test_true_false_keys_are_balanced_course_wide():
    # Masters with fewer than 3 true/false items are not checked one by one (one item is 0 % or
    # 100 % True by necessity); `violations` checks those with 3 or more, this test the course.
    keys = [key for m in closed_items.masters() for key in m.true_false_keys.values()]
    assert len(keys) >= 6
    low, high = blind_strategies.TRUE_SHARE
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


def master_of(tmp_path, *questions: str) -> closed_items.Master:
    path = tmp_path / "99_synthetic.md"
    path.write_text("# Synthetic\n" + "".join(questions), encoding="utf-8")
    return closed_items.parse_master(path)


def shares_when_key_is(tmp_path, key_text: str, distractors: list[str], stem: str = "Which one?") -> dict[str, float]:
    """Four items, the key placed at A, B, C and D in turn."""
    items = []
    for i, letter in enumerate("ABCD"):
        options = list(distractors)
        options.insert(i, key_text)
        items.append(question(f"q{i + 1}", stem, options, letter))
    return blind_strategies.strategy_shares(master_of(tmp_path, *items))


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
    shares = blind_strategies.strategy_shares(master_of(tmp_path, *items))
    assert shares["common_letter"] == 1 and shares["always_B"] == 1 and shares["always_C"] == 0


def test_violations_name_the_strategy_and_the_true_share(tmp_path):
    items = [
        question(f"q{i}", "Which?", ["short", "a much longer option " + FILLER, "mid one", "mid two"], "B")
        for i in range(1, 5)
    ]
    items += [question(f"tf{i}", "True?", [], False) for i in range(3)]
    problems = blind_strategies.violations(master_of(tmp_path, *items))
    assert any("'longest'" in p for p in problems)
    assert any("0 % of true/false keys are True" in p for p in problems)


def test_command_prints_a_row_per_master_and_a_chapter_table(capsys):
    assert qq.main([str(FIXTURE), "--ids", "0"]) == 1  # the fixture misses thresholds on purpose
    out = capsys.readouterr().out
    assert FIXTURE.stem in out and "longest" in out and "understanding" in out
    assert "97_items understanding: 1 of 5 auto-graded points (20 %) test understanding" in out


# ---------------------------------------------------------------- the issue-21 measures


def test_understanding_share_pairs_and_missing_fields_of_the_fixture():
    quality = chapter_standards.chapter_quality(FIXTURE)
    assert (quality.understanding_points, quality.autograded_points) == (1, 5)
    assert (quality.paired, quality.true_false) == (2, 2)
    assert quality.missing_intent == [] and quality.missing_misconception == []
    assert quality.napkin_without_methods == [] and quality.item_problems == []
    assert quality.slips is None  # the harness runs only when asked


def test_missing_intent_misconceptions_and_wrong_methods_are_listed(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("intent: understanding\n", "").replace(
        '  D:\n    misconception: "taking a place named after a colour for the colour"\n    section: "§1.3"\n', ""
    )
    text = re.sub(r"wrong_methods:\n(  - .*\n    .*\n)+", "", text)
    path = tmp_path / "96_missing.md"
    path.write_text(text, encoding="utf-8")
    failures = chapter_standards.chapter_quality(path).failures()
    assert failures["intent"] == "no intent: colour"
    assert failures["misconceptions"] == "distractors without a misconception: colour: D"
    assert failures["wrong_methods"] == "napkin items without wrong methods: runs"


def test_a_hedge_word_that_marks_the_false_keys_is_a_tell():
    statements = {
        "a": "caching is usually fine for a batch job",
        "b": "a canary can usually be skipped when metrics are strong",
        "c": "the drift monitor compares the serving distribution with the training one",
        "d": "a staged rollout limits how many users a bad model reaches",
    }
    keys = {"a": False, "b": False, "c": True, "d": True}
    worst = chapter_standards.word_tells(statements, keys)[0]
    assert (worst.word, worst.accuracy, worst.majority, worst.present_means) == ("usually", 1.0, 0.5, False)
    assert worst.is_tell


def test_paired_statements_that_share_their_hedges_are_no_tell():
    statements = {
        "a": "a retake at capture usually costs less than a relabel found in training",
        "b": "a retake at capture usually costs as much as a relabel found in training",
        "c": "a canary exposes only a slice of traffic to a new model",
        "d": "a canary exposes all traffic to a new model at once",
    }
    keys = {"a": True, "b": False, "c": True, "d": False}
    assert not any(t.is_tell for t in chapter_standards.word_tells(statements, keys))
    assert chapter_standards.word_tells({"a": "x"}, {"a": True}) == []  # one statement: nothing to judge


def test_a_word_one_statement_off_balance_is_no_tell():
    """In a balanced set a word in an odd number of statements beats the commoner key by one
    statement whatever its keys: that margin is no evidence; two statements are."""
    statements = {f"s{i}": f"plain statement number {i}" for i in range(20)}
    keys = {f"s{i}": i % 2 == 0 for i in range(20)}
    for name in ("s1", "s3", "s0"):  # 'about' in two false statements and one true
        statements[name] += " about"
    about = next(t for t in chapter_standards.word_tells(statements, keys) if t.word == "about")
    assert (about.accuracy, about.majority, about.margin, about.is_tell) == (0.55, 0.5, 1, False)
    statements["s0"] = statements["s0"].replace(" about", "")
    statements["s5"] += " about"  # now in three false statements
    about = next(t for t in chapter_standards.word_tells(statements, keys) if t.word == "about")
    assert (about.margin, about.is_tell) == (3, True)


def test_the_harness_finds_the_ids_where_a_wrong_method_slips():
    from mlsys_lab.course import variants

    ids = IDS[:40]
    runs = {run.method: run for run in wrong_methods.audit(FIXTURE, ids, chapter_standards.AUDIT_SECRET)}
    assert runs[wrong_methods.RIGHT].ok and runs[wrong_methods.RIGHT].ids == len(ids)
    assert runs["counts days where the runs take hours"].ok
    rounding = runs["rounds to the nearest run instead of counting complete runs"]
    expected = []
    for student in ids:  # rounding passes where it lands within the 1 % tolerance of the floor
        variants.configure(chapter_standards.AUDIT_SECRET, FIXTURE.stem, student)
        budget = variants.draw(
            "runs",
            master={"weeks": 10, "run_hours": 36},
            weeks=variants.span(4, 20),
            run_hours=variants.choose(12, 18, 24, 30, 36, 48, 60, 72),
        )
        exact = budget["weeks"] * 168 / budget["run_hours"]
        if math.isclose(round(exact), math.floor(exact), rel_tol=0.01):
            expected.append(student)
    variants.configure(None, None)
    assert 0 < len(expected) < len(ids)
    assert rounding.slipped == expected and not rounding.errors
    assert "passes for" in rounding.describe()
