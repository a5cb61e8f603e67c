"""Attacks on the grading machine itself (issue 10 item 4): fork bomb, disk fill, killing the
parent and host processes. They run only once the sandbox exists (``include_destructive``).
"""

from __future__ import annotations

from . import cells
from .hostile_notebook import Assignment, Case, Host, adder, honest_only, hostile


def destructive_cases(a: Assignment, host: Host) -> list[Case]:
    """Fork bomb, disk fill, killing the parent, signalling host processes."""
    ok = honest_only(a)
    cases: list[Case] = []
    add = adder(cases, ok)

    add(
        "fork_bomb.ipynb",
        "destructive",
        f"forks up to {host.fork_cap} sleeping children",
        hostile(a, host, after=[cells.FORK_BOMB]),
        destructive=True,
    )
    add(
        "fill_disk.ipynb",
        "destructive",
        f"writes {host.fill_bytes / 2**30:.1f} GiB into /tmp, HOME and the run's folder",
        hostile(a, host, after=[cells.FILL_DISK]),
        destructive=True,
    )
    add(
        "kill_parent.ipynb",
        "destructive",
        "SIGKILLs its parent and its parent's process group",
        hostile(a, host, after=[cells.KILL_PARENT]),
        destructive=True,
    )
    add(
        "signal_others.ipynb",
        "destructive",
        "SIGKILLs a host process (by pid and by a /proc search)",
        hostile(a, host, after=[cells.SIGNAL_OTHERS]),
        destructive=True,
    )
    return cases
