"""What do function exercises add to grading time per submission?

For each chapter master's function exercises (two per chapter), with the solution functions the
masters hold, this measures the work the grader adds, with the grader's own code:

* the worker: drawing the hidden inputs (``functions.execute_payload``);
* stage 1: the runner's guards (``runner._install_guards``) and its calls, one forked child per
  exercise, a time limit per call (``runner._call_in_child``), exactly as in the sandbox but
  without starting one (the sandbox and the notebook's cells cost the same with or without them);
* stage 2: recomputing each expected output with the reference and scoring per case
  (``functions.score_exercise``).

Prints per exercise and per chapter (one submission) in milliseconds, the fastest of
``--repeat`` runs. Usage: ``python benchmarks/function_cost.py [--repeat 5]``. Not a test.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "autograder" / "grading"))

import answers  # noqa: E402 -- the runner's own imports, as in the sandbox
import runner  # noqa: E402

from autograder.grading import functions  # noqa: E402


def solutions(master: Path) -> dict[str, object]:
    """The master's solution functions of its function exercises, by name."""
    text = master.read_text(encoding="utf-8")
    names = set(re.findall(r"expect_function\(\s*(\w+)\s*,", text))
    found = {}
    for block in re.findall(r"```\{code-cell\} ipython3\n(def .*?)```", text, re.S):
        for node in ast.parse(block).body:
            if isinstance(node, ast.FunctionDef) and node.name in names:
                namespace: dict = {}
                exec(block, namespace)  # noqa: S102 -- the master's own solution
                found[node.name] = namespace[node.name]
    return found


def fastest(repeat: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best * 1000, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    seed = functions.new_seed()
    exercises_by_master = {}
    for master in sorted((ROOT / "solutions").glob("0[1-6]_*.md")):
        exercises_by_master[master.stem] = solutions(master)
    every = [functions.Exercise(name, name, name) for found in exercises_by_master.values() for name in sorted(found)]
    guard_ms, _ = fastest(1, lambda: runner._install_guards(functions.execute_payload(every, seed)))
    print(f"guards for all {len(every)} exercises installed once: {guard_ms:.1f} ms (seed {seed})")
    print(f"{'exercise':<28} {'cases':>5} {'draw ms':>8} {'calls ms':>9} {'score ms':>9}")
    totals = {}
    for master, found in exercises_by_master.items():
        total = 0.0
        for name, function in sorted(found.items()):
            exercise = functions.Exercise(name, name, name)
            draw_ms, payload = fastest(
                args.repeat, lambda exercise=exercise: functions.execute_payload([exercise], seed)
            )

            def call(function=function, job=payload[0]):
                return runner._call_in_child(function, job, lambda value: answers.encode_one(value))

            calls_ms, outcomes = fastest(args.repeat, call)
            record = {"kind": "calls", "outcomes": outcomes}
            score_ms, score = fastest(
                args.repeat,
                lambda exercise=exercise, record=record: functions.score_exercise(exercise, seed, record, 2.0),
            )
            assert score.score == 2.0, (name, score.note)
            print(f"{name:<28} {len(outcomes):>5} {draw_ms:>8.2f} {calls_ms:>9.2f} {score_ms:>9.2f}")
            total += draw_ms + calls_ms + score_ms
        totals[master] = total
    print()
    for master, total in totals.items():
        print(f"{master:<34} {total:7.1f} ms per submission (its {len(exercises_by_master[master])} exercises)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
