"""How `make test` shares its work between two xdist workers, from the durations a run printed.

`make test` prints every test phase of a second or more (``--durations=0 --durations-min=1``), its
id ending in ``@group`` when the test belongs to an ``xdist_group``. This adds the phases up per
unit of scheduling (a group, or a single test), hands the units out in the order
``tests/conftest.py`` does (``GROUPS_FIRST``, other groups, then single tests in collection
order) to whichever of two workers is free first, and prints each unit and when each worker
would finish: the critical path of the run, if the durations stay what they were.

Usage: ``python benchmarks/suite_balance.py LOG [--workers N]`` where LOG holds the output of
`make test` (a CI log will do). Not a test: it prints figures. Phases under a second are not in
the log; their count and share are unknown, so the figures are a lower bound.
"""

from __future__ import annotations

import argparse
import heapq
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = re.compile(r"^\s*(?P<seconds>\d+(?:\.\d+)?)s\s+(?:setup|call|teardown)\s+(?P<nodeid>tests/\S+)\s*$")


def groups_first() -> list[str]:
    """``GROUPS_FIRST`` as tests/conftest.py lists it (read, not imported: no pytest needed)."""
    text = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    block = re.search(r"^GROUPS_FIRST = \[(.*?)\]", text, re.S | re.M)
    return re.findall(r'"([^"]+)"', block.group(1)) if block else []


def units(log: str) -> dict[str, float]:
    """Seconds per unit of scheduling: ``@group`` for a group, the test's id for a single test."""
    seconds: dict[str, float] = defaultdict(float)
    for line in log.splitlines():
        match = DURATION.match(line)
        if match:
            nodeid = match["nodeid"]
            grouped = nodeid.rfind("@") > nodeid.rfind("]")
            seconds["@" + nodeid.rsplit("@", 1)[1] if grouped else nodeid] += float(match["seconds"])
    return dict(seconds)


def handed_out(seconds: dict[str, float]) -> list[tuple[str, float]]:
    """The units in the order the workers receive them."""
    first = ["@" + name for name in groups_first()]
    rank = {unit: i for i, unit in enumerate(first)}
    order = sorted(seconds, key=lambda u: (rank.get(u, len(rank)) if u.startswith("@") else len(rank) + 1, u))
    return [(unit, seconds[unit]) for unit in order]


def schedule(order: list[tuple[str, float]], workers: int) -> list[tuple[float, int, str, float]]:
    """(start, worker, unit, seconds) for each unit, each given to the worker free first."""
    free = [(0.0, w) for w in range(workers)]
    placed = []
    for unit, seconds in order:
        start, worker = heapq.heappop(free)
        placed.append((start, worker, unit, seconds))
        heapq.heappush(free, (start + seconds, worker))
    return placed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path, nargs="?", help="the output of `make test`")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.log is None:  # `make benchmarks` runs every script without arguments
        print("suite_balance: give it the output of `make test` (python benchmarks/suite_balance.py LOG)")
        return 0
    seconds = units(args.log.read_text(encoding="utf-8", errors="replace"))
    if not seconds:
        print(f"{args.log}: no durations found (make test prints them: --durations=0 --durations-min=1)")
        return 1
    placed = schedule(handed_out(seconds), args.workers)
    ends = [0.0] * args.workers
    for start, worker, unit, length in placed:
        ends[worker] = max(ends[worker], start + length)
        if unit.startswith("@") or length >= 30:
            print(f"{unit:<80.80} {length:7.1f} s  worker {worker} from {start:7.1f} s")
    total = sum(seconds.values())
    print(f"\n{len(seconds)} units, {total:.0f} s of listed work: {total / args.workers:.0f} s per worker if even")
    for worker, end in enumerate(ends):
        print(f"worker {worker} ends at {end:.0f} s ({end / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
