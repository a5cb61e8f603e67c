"""The numbers of the class report, computed from ``OUT/results.json``.

* **Difficulty** of a question: the share of graded submissions that earned all its points
  (classical test theory's *p*-value; 0.9 is easy, 0.2 hard), and the mean share of its points.
* **Discrimination**: the item-rest correlation, Pearson's *r* between the score on the
  question and the total on all *other* questions, over graded submissions. Strong students
  should do better on a good question, so *r* is positive; a negative *r* means students who do
  well elsewhere do worse here: a key, a wording or a test to check.
* **Distractors** of a multiple-choice question (its answers are single letters): how many
  picked each option. An option nobody picks is not doing its job as a distractor.
* **Misconceptions** of a multiple-choice question: the same counts read through the master's
  ```` ```item ```` fence (:mod:`autograder.authoring.items`), so the report says how many students hold each
  named wrong belief ("treating the launch as the end of the work": 12), not only which letter.

Failed submissions (nothing graded) are counted in the statuses but left out of these
statistics, so a broken upload does not look like a weak student.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

LETTER = re.compile(r"^\s*([A-Za-z])\s*$")
MC_SHARE = 0.8
"""A question is multiple choice when at least this share of its given answers are one letter."""
SLOWEST = 10
MIN_FOR_FLAGS = 20
"""Graded submissions (for discrimination) or given answers (for distractors) needed before a
question is flagged: with fewer, a correlation or an unpicked option says nothing."""


def _letter(value):
    return LETTER.match(value).group(1).upper() if isinstance(value, str) and LETTER.match(value) else None


def item_rest(scores: np.ndarray) -> np.ndarray:
    """Item-rest correlation of each column of ``scores`` (rows: students); NaN where a
    column or its rest has no spread."""
    total = scores.sum(axis=1)
    out = np.full(scores.shape[1], np.nan)
    for j in range(scores.shape[1]):
        item, rest = scores[:, j], total - scores[:, j]
        if len(item) > 2 and item.std() > 0 and rest.std() > 0:
            out[j] = float(np.corrcoef(item, rest)[0, 1])
    return out


def status_counts(rows: list[dict]) -> dict:
    counts = {
        "submissions": len(rows),
        "failed": 0,
        "timed_out": 0,
        "skipped_cells": 0,
        "memory_cap": 0,
        "completed_with_notes": 0,
    }
    reasons = Counter()
    for row in rows:
        status = str(row.get("status", ""))
        if row.get("failed"):
            counts["failed"] += 1
            reason = status.split(":", 1)[1] if status.startswith("Failed:") else status
            reasons[re.split(r"[;(]", reason, maxsplit=1)[0].strip() or "unknown"] += 1
        elif ";" in status:
            counts["completed_with_notes"] += 1
        if "timed out" in status or "timeout hit" in status:
            counts["timed_out"] += 1
        if re.search(r"cell \d+ skipped", status):
            counts["skipped_cells"] += 1
        if "memory cap" in status:
            counts["memory_cap"] += 1
    counts["failure_reasons"] = reasons.most_common(10)
    return counts


def misconception_counts(counts: dict, distractors: dict | None) -> list[dict]:
    """Each recorded distractor of one question with how many picked it, most picked first
    (``distractors``: {master letter: Distractor or {"misconception", "section"}})."""
    found = []
    for letter, d in sorted((distractors or {}).items()):
        text = d["misconception"] if isinstance(d, dict) else d.misconception
        section = d.get("section", "") if isinstance(d, dict) else d.section
        found.append({"letter": letter, "misconception": text, "section": section, "count": counts.get(letter, 0)})
    return sorted(found, key=lambda m: (-m["count"], m["letter"]))


def compute(results: dict, options: dict | None = None, fences: dict | None = None) -> dict:
    """Everything the report shows. ``options``: {question: ["A", "B", ...]} from the master,
    when known; otherwise a multiple-choice item's options are A to D plus any letter seen.
    ``fences``: {question: autograder.authoring.items.Item} of the master, for the misconception counts."""
    questions = [q for q in results.get("question_order") or [] if q in results.get("questions", {})]
    questions += [q for q in results.get("questions", {}) if q not in questions]  # the notebook's order first
    points = np.array([float(results["questions"][q].get("points", 0)) for q in questions])
    rows = results.get("rows", [])
    graded = [r for r in rows if not r.get("failed")]
    scores = np.array([[float(r.get("scores", {}).get(q, 0) or 0) for q in questions] for r in graded]).reshape(
        len(graded), len(questions)
    )
    totals = scores.sum(axis=1) if len(graded) else np.zeros(0)
    possible = float(points.sum())
    full = scores >= points - 1e-9 if len(graded) else np.zeros((0, len(questions)), bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_correct = full.mean(axis=0) if len(graded) else np.full(len(questions), np.nan)
        mean_share = (
            (scores / np.where(points > 0, points, 1)).mean(axis=0) if len(graded) else np.full(len(questions), np.nan)
        )
    discrimination = item_rest(scores) if len(graded) else np.full(len(questions), np.nan)

    items = []
    for j, q in enumerate(questions):
        item = {
            "question": q,
            "points": float(points[j]),
            "share_correct": float(share_correct[j]),
            "mean_share": float(mean_share[j]),
            "discrimination": None if np.isnan(discrimination[j]) else float(discrimination[j]),
            "flags": [],
        }
        if item["discrimination"] is not None and item["discrimination"] < 0 and len(graded) >= MIN_FOR_FLAGS:
            item["flags"].append(f"negative discrimination (r = {item['discrimination']:.2f})")
        items.append(item)

    distractors = []
    for j, q in enumerate(questions):
        variables = results["questions"][q].get("answers", [])
        if len(variables) != 1:
            continue
        var = variables[0]
        # a shuffled item's letters, mapped back to the master's order by the grader
        given = [(r.get("master_letters") or {}).get(var, r.get("answers", {}).get(var)) for r in graded]
        letters = [_letter(v) for v in given]
        answered = [v for v in given if v is not None]
        if not answered or sum(1 for x in letters if x) < MC_SHARE * len(answered):
            continue
        counts = Counter(x for x in letters if x)
        picked_full = Counter(x for x, ok in zip(letters, full[:, j]) if x and ok)
        key = picked_full.most_common(1)[0][0] if picked_full else None
        choices = list((options or {}).get(q) or [])
        if not choices:
            last = max(["D", *counts], key=ord)
            choices = [chr(c) for c in range(ord("A"), ord(last) + 1)]
        unused = [c for c in choices if c != key and counts.get(c, 0) == 0]
        if len(answered) < MIN_FOR_FLAGS:
            unused = []  # too few answers to call an option dead
        entry = {
            "question": q,
            "variable": var,
            "key": key,
            "counts": {c: counts.get(c, 0) for c in choices},
            "other": sum(counts[c] for c in counts if c not in choices)
            + sum(1 for v, x in zip(given, letters) if v is not None and not x),
            "blank": sum(1 for v in given if v is None),
            "unused": unused,
            "misconceptions": misconception_counts(counts, getattr((fences or {}).get(q), "distractors", None)),
        }
        distractors.append(entry)
        if unused:
            items[j]["flags"].append(
                "distractor" + ("s " if len(unused) > 1 else " ") + ", ".join(unused) + " picked by nobody"
            )

    slowest = sorted(rows, key=lambda r: -float(r.get("seconds") or 0))[:SLOWEST]
    return {
        "assignment": results.get("assignment", ""),
        "questions": questions,
        "possible": possible,
        "graded": len(graded),
        "totals": totals,
        "summary": {
            "mean": float(totals.mean()) if len(totals) else None,
            "median": float(np.median(totals)) if len(totals) else None,
            "std": float(totals.std()) if len(totals) else None,
        },
        "items": items,
        "distractors": distractors,
        "statuses": status_counts(rows),
        "slowest": [
            {"file": r.get("file"), "seconds": float(r.get("seconds") or 0), "status": r.get("status", "")}
            for r in slowest
        ],
        "flagged": [i for i in items if i["flags"]],
        "too_few_to_flag": len(graded) < MIN_FOR_FLAGS,
    }
