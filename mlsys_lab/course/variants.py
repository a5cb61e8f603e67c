"""Every student their own numbers: per-student variants of exercises.

A napkin-math exercise draws its inputs from ranges or lists, and a multiple-choice item shows
its options in a per-student order. Which values a student gets is a pure function of

    (course salt, assignment, question, the student's roster id)

through HMAC-SHA256 keyed by the salt (the instructor sets the salt once per offering; it ships
with the notebooks), so it is the same in Colab, on a laptop and in the grader, offline. Without
a roster id (a notebook opened on the site, or before the student types their id) every
exercise shows the master's own numbers and says so.

The grader never trusts an id typed into a notebook: it takes the id from the roster and
configures this module before it runs the hidden tests, which recompute the expected answer
from the same draw with the same calculator.

Authoring, in a master (the pipeline copies a question's ``variant`` cell into its tests)::

    budget = ml.variants.draw("experiments_budget", master={"weeks": 10, "run_hours": 36},
                              weeks=ml.variants.span(6, 16), run_hours=ml.variants.choose(24, 30, 36, 48))
    budget.show()
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "configure",
    "student",
    "span",
    "choose",
    "draw",
    "count",
    "permutation",
    "letter",
    "master_letter",
    "options",
    "Variant",
    "ROSTER_ID",
]

ROSTER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")
"""What a roster id looks like: a student number, a login or an e-mail address."""

LETTERS = "ABCDEFGH"

_context: dict = {"salt": None, "assignment": None, "student": None}


def configure(salt: str | None, assignment: str | None, student: str | None = None) -> None:
    """Set whose numbers are drawn. ``student=None`` means the master's own numbers."""
    if student is not None:
        student = str(student).strip()
        if not ROSTER_ID.match(student):
            raise ValueError(
                "a roster id is letters, digits and . _ @ + - (at most 64 characters), "
                "as it appears on your course roster"
            )
    _context.update(salt=salt or None, assignment=assignment, student=student or None)


def student() -> str | None:
    """The roster id whose numbers are drawn, or None for the master's own numbers."""
    return _context["student"] if _context["salt"] else None


def _unit(question: str, name: str) -> float:
    """A number in [0, 1) that only the salt, assignment, question, student and name decide."""
    message = "\0".join([str(_context["assignment"]), question, str(_context["student"]), name]).encode()
    digest = hmac.new(str(_context["salt"]).encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class Span:
    """Values ``low, low + step, ..., high`` (both ends included)."""

    low: float
    high: float
    step: float = 1

    @property
    def count(self) -> int:
        return int(math.floor((self.high - self.low) / self.step + 1e-9)) + 1

    def pick(self, u: float):
        value = self.low + math.floor(u * self.count) * self.step
        return int(value) if float(value).is_integer() and float(self.step).is_integer() else round(value, 10)


@dataclass(frozen=True)
class Choice:
    """One of a fixed list of values."""

    values: tuple

    @property
    def count(self) -> int:
        return len(self.values)

    def pick(self, u: float):
        return self.values[math.floor(u * len(self.values))]


def span(low: float, high: float, step: float = 1) -> Span:
    """Draw from ``low`` to ``high`` in steps of ``step``."""
    if not step > 0 or high < low:
        raise ValueError("span(low, high, step) needs low <= high and step > 0")
    return Span(low, high, step)


def choose(*values) -> Choice:
    """Draw one of ``values``."""
    if not values:
        raise ValueError("choose() needs at least one value")
    return Choice(tuple(values))


def count(**specs) -> int:
    """How many distinct variants ``specs`` allow."""
    total = 1
    for spec in specs.values():
        total *= spec.count
    return total


class Variant(Mapping):
    """One student's values for one exercise (a read-only mapping), and how to show them."""

    def __init__(self, question: str, values: dict, is_master: bool, possible: int = 1):
        self.question, self._values, self.is_master = question, dict(values), is_master
        self.possible = possible  # how many distinct variants the ranges allow

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Variant({self.question!r}, {self._values!r})"

    def describe(self) -> str:
        shown = ", ".join(
            f"{name.replace('_', ' ')} = {value:g}"
            if isinstance(value, (int, float))
            else f"{name.replace('_', ' ')} = {value}"
            for name, value in self._values.items()
        )
        if self.is_master:
            return (
                f"Numbers for {self.question}: {shown}. These are the master's numbers; each student's "
                "graded copy has its own (set ROSTER_ID in the notebook's first cell to see yours)."
            )
        return f"Your numbers for {self.question}: {shown}"

    def show(self) -> None:
        print(self.describe())


def draw(question: str, master: dict, **specs) -> Variant:
    """The current student's values of ``specs`` for ``question`` (``master`` without one)."""
    missing = set(specs) ^ set(master)
    if missing:
        raise ValueError(f"draw({question!r}): give a master value and a range for each of {sorted(missing)}")
    possible = count(**specs)
    if student() is None:
        return Variant(question, master, is_master=True, possible=possible)
    values = {name: spec.pick(_unit(question, name)) for name, spec in specs.items()}
    return Variant(question, values, is_master=False, possible=possible)


def permutation(question: str, n: int) -> list[int]:
    """The order in which the current student sees options ``0..n-1`` of ``question``."""
    if student() is None:
        return list(range(n))
    return sorted(range(n), key=lambda i: _unit(question, f"option {i}"))


def letter(question: str, master_letter: str, n: int = 4) -> str:
    """The current student's letter of the option that is ``master_letter`` in the master."""
    index = LETTERS.index(master_letter.strip().upper())
    return LETTERS[permutation(question, n).index(index)]


def master_letter(question: str, student_letter: str, n: int = 4) -> str | None:
    """The master's letter of the option the current student saw as ``student_letter`` (None
    for anything that is not one of the ``n`` letters): how a class report counts distractors."""
    letter_ = str(student_letter).strip().upper()
    if len(letter_) != 1 or letter_ not in LETTERS[:n]:
        return None
    return LETTERS[permutation(question, n)[LETTERS.index(letter_)]]


def options(question: str, texts: list[str]) -> None:
    """Show the options of ``question`` in the current student's order, lettered A, B, ..."""
    order = permutation(question, len(texts))
    lines = [f"**{LETTERS[position]}.** {texts[index]}" for position, index in enumerate(order)]
    if student() is None:
        lines.append(
            "*(The master's order. Each student's graded copy orders these options differently: "
            "set ROSTER_ID in the notebook's first cell to see yours.)*"
        )
    text = "\n\n".join(lines)
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # plain Python: print it
        print(text.replace("**", ""))
        return
    if get_ipython() is None:
        print(text.replace("**", ""))
    else:
        display(Markdown(text))
