"""The thirteen quantitative invariants, the four phases that group them, and the cycle.

Follows *Conclusion*, §Thirteen Quantitative Invariants (the table of invariants and the
cycle figure): four phases (Foundations, Build, Optimize, Deploy) surround a hub, the
**conservation of complexity**. Each phase's choices constrain the next, and the
Deploy-phase signals (invariants 9-13) send the system back to Foundations for new data
and retraining. :mod:`mlsys_lab.viz.complexity_cycle` draws it; the notebook's
demonstrations compute each invariant with the calculator named in ``calculator``.

``INVARIANTS`` is a tuple of :class:`Invariant` records in the chapter's order;
``PHASES`` the four phases in cycle order; ``FORWARD_LINKS`` what each phase hands the
next; ``FEEDBACK_SIGNALS`` the Deploy-phase signals behind the arrow back to Foundations;
``COMPLEXITY_MOVES`` the chapter's examples of complexity moved rather than removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError

__all__ = [
    "Invariant",
    "INVARIANTS",
    "PHASES",
    "FORWARD_LINKS",
    "FEEDBACK_SIGNALS",
    "COMPLEXITY_MOVES",
    "get_invariant",
    "in_phase",
]


@dataclass(frozen=True)
class Invariant:
    """One invariant: its number (1-13), short name, phase and the calculator that shows it."""

    number: int
    name: str
    phase: str
    calculator: str


#: The four phases (the book's four Parts) in the order the cycle runs.
PHASES: tuple[str, ...] = ("Foundations", "Build", "Optimize", "Deploy")

INVARIANTS: tuple[Invariant, ...] = (
    Invariant(1, "data as code", "Foundations", "data_value"),
    Invariant(2, "data gravity", "Foundations", "bandwidth.upload_time"),
    Invariant(3, "iron law", "Build", "roofline.iron_law_time"),
    Invariant(4, "silicon contract", "Build", "hardware.Device.ridge_point"),
    Invariant(5, "Pareto frontier", "Optimize", "pareto"),
    Invariant(6, "arithmetic intensity law", "Optimize", "roofline.attainable_performance"),
    Invariant(7, "energy of movement", "Optimize", "energy"),
    Invariant(8, "Amdahl's law", "Optimize", "amdahl.amdahl_speedup"),
    Invariant(9, "verification gap", "Deploy", "evaluation"),
    Invariant(10, "statistical drift", "Deploy", "skew.simulate_drift"),
    Invariant(11, "training-serving skew", "Deploy", "skew.simulate_skew"),
    Invariant(12, "latency budget", "Deploy", "latency.budget_check"),
    Invariant(13, "bias feedback", "Deploy", "feedback.bias_gap"),
)

#: What each phase's decisions fix for the next one (the forward arrows of the cycle).
FORWARD_LINKS: tuple[tuple[str, str, str], ...] = (
    ("Foundations", "Build", "the data decide what must be computed, and where"),
    ("Build", "Optimize", "the iron law's terms bound what optimization can win"),
    ("Optimize", "Deploy", "each trade-off becomes a risk to watch in production"),
)

#: The Deploy-phase signals that force a return to Foundations (invariants 9-13).
FEEDBACK_SIGNALS: tuple[str, ...] = (
    "verification failures",
    "drift",
    "training-serving skew",
    "tail-latency violations",
    "growing bias",
)

#: Where the chapter shows complexity moving instead of disappearing: (change, from, to).
COMPLEXITY_MOVES: tuple[tuple[str, str, str], ...] = (
    ("quantization", "model size and bytes moved", "validation and monitoring"),
    ("abstraction layers", "the interface", "the implementation"),
    ("a looser prompt", "the user", "retrieval, system prompts and guardrails"),
)


def get_invariant(key: Any) -> Invariant:
    """An :class:`Invariant` by number (1-13) or name (case-insensitive)."""
    for inv in INVARIANTS:
        if (isinstance(key, int) and not isinstance(key, bool) and key == inv.number) or (
            isinstance(key, str) and key.strip().lower() == inv.name.lower()
        ):
            return inv
    raise InputError(f"key: no invariant {key!r}; give a number 1-13 or a name such as 'iron law'")


def in_phase(phase: str) -> tuple[Invariant, ...]:
    """The invariants a phase introduced, in order (Optimize: 5, 6, 7, 8)."""
    if not isinstance(phase, str) or phase.strip().capitalize() not in PHASES:
        raise InputError(f"phase: expected one of {', '.join(PHASES)}, got {phase!r}")
    wanted = phase.strip().capitalize()
    return tuple(inv for inv in INVARIANTS if inv.phase == wanted)
