"""A generated class: ``results.json`` content for tests, the benchmark and demonstrations.

Each student has an ability drawn from a normal distribution; the chance of answering a
question right rises with ability (a logistic curve per question). Two questions are built to be
flagged: ``q4`` is *miskeyed* (strong students pick the option that is marked wrong) and
``q6``'s option D attracts nobody. A few submissions fail, time out or lose a cell, as in a
real batch.
"""

from __future__ import annotations

import math
import random

QUESTIONS = {
    # name: (kind, points, difficulty offset, right answer)
    "q1": ("choice", 1.0, -1.0, "B"),
    "q2": ("choice", 1.0, 0.0, "C"),
    "q3": ("number", 2.0, 0.5, 8.3),
    "q4": ("choice", 1.0, 0.0, "A"),  # miskeyed: strong students choose D
    "q5": ("bool", 1.0, -0.5, False),
    "q6": ("choice", 1.0, -0.5, "B"),  # nobody picks D
    "q7": ("choice", 1.0, 1.0, "D"),
    "q8": ("number", 2.0, 0.0, 30000.0),
}


def results(n: int = 200, seed: int = 14, assignment: str = "01_ml_lifecycle") -> dict:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        file = f"student_{i:05d}.ipynb"
        ability = rng.gauss(0, 1)
        seconds = round(rng.uniform(3, 9), 2)
        roll = rng.random()
        if roll < 0.01:
            rows.append(
                {
                    "file": file,
                    "status": "Failed: not a notebook: invalid JSON (Expecting value at line 1, column 1)",
                    "failed": True,
                    "total": 0.0,
                    "scores": {q: 0.0 for q in QUESTIONS},
                    "answers": {},
                    "seconds": 0.0,
                }
            )
            continue
        if roll < 0.015:
            rows.append(
                {
                    "file": file,
                    "status": "Failed: timed out after 120 s while running the tests",
                    "failed": True,
                    "total": 0.0,
                    "scores": {q: 0.0 for q in QUESTIONS},
                    "answers": {},
                    "seconds": 240.0,
                }
            )
            continue
        scores, answers = {}, {}
        for q, (kind, points, offset, right) in QUESTIONS.items():
            p = 1 / (1 + math.exp(-(1.7 * ability - offset)))
            var = f"{q}_answer"
            if q == "q4":
                ok = rng.random() < 1 - p  # the key is wrong: the better the student, the likelier "wrong"
                answers[var] = "A" if ok else rng.choice("BCD" if ability < 0 else "DDDC")
            elif kind == "choice":
                ok = rng.random() < p
                wrong = [c for c in "ABC" if c != right] if q == "q6" else [c for c in "ABCD" if c != right]
                answers[var] = right if ok else rng.choice(wrong)
            elif kind == "bool":
                ok = rng.random() < p
                answers[var] = right if ok else (not right)
            else:
                ok = rng.random() < p
                value = right if ok else right * rng.choice([0.1, 10, 2.5])
                answers[var] = {"magnitude": value, "units": "hour"} if q == "q3" else value
            if rng.random() < 0.02:
                answers[var], ok = None, False
            scores[q] = points if ok else 0.0
        status = "Completed"
        if roll > 0.99:
            status = "Completed; cell 7 skipped: still running when the 120 s timeout hit"
            seconds = round(120 + rng.uniform(5, 20), 2)
        rows.append(
            {
                "file": file,
                "status": status,
                "failed": False,
                "total": sum(scores.values()),
                "scores": scores,
                "answers": answers,
                "seconds": seconds,
            }
        )
    return {
        "assignment": assignment,
        "questions": {q: {"points": pts, "answers": [f"{q}_answer"]} for q, (_, pts, _, _) in QUESTIONS.items()},
        "rows": sorted(rows, key=lambda r: r["file"]),
    }
