"""Every student their own numbers: per-student variants of exercises.

A napkin-math exercise draws its inputs from ranges or lists, and a multiple-choice item shows
its options in a per-student order. Which values a student gets is a pure function of

    (the student's personal code, assignment, question)

through HMAC-SHA256 keyed by the code, so it is the same in Colab, on a laptop and in the
grader, offline. The code itself is ``HMAC(instructor's secret, roster id)`` written as nine
characters (eight of Crockford's base 32 and a check character, e.g. ``K7Q-M2X-APZ``): only
the instructor, who holds the secret, can turn a roster id into a code, so nothing a student
holds (their notebook, the public checks, their own code) gives them a classmate's numbers.
Without a code (a notebook opened on the site, or before the student types it) every exercise
shows the master's own numbers and says so.

The grader never trusts a code typed into a notebook: it takes the roster id from the roster,
recomputes the code with the secret, and configures this module before it runs the hidden
tests, which recompute the expected answer from the same draw with the same calculator.

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
    "BadCode",
    "personal_code",
    "normalise_code",
    "canonical_id",
]

ROSTER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")
"""What a roster id looks like: a student number, a login or an e-mail address."""

LETTERS = "ABCDEFGH"

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand stays a code."""
CODE_DATA = 8
"""Characters of a code drawn from the secret (40 bits); one check character follows."""
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})

_context: dict = {"code": None, "assignment": None}


class BadCode(ValueError):
    """A personal code that cannot be right (the message says what to fix)."""


def canonical_id(roster_id: str) -> str:
    """A roster id as the codes are derived from it: no spaces anywhere, lower case (so
    ``" S12 34 "`` on one list and ``s1234`` on another are the same student)."""
    return "".join(str(roster_id).split()).lower()


def _check_character(data: str) -> str:
    """Luhn mod 32 over ``data``: catches every single mistyped character and nearly every swap
    of two neighbours."""
    total, factor = 0, 2
    for char in reversed(data):
        value = factor * CODE_ALPHABET.index(char)
        total += value // 32 + value % 32
        factor = 1 if factor == 2 else 2
    return CODE_ALPHABET[(32 - total % 32) % 32]


def personal_code(secret: str, roster_id: str) -> str:
    """The code of ``roster_id`` under the instructor's ``secret``, as ``XXX-XXX-XXX``."""
    if not secret:
        raise ValueError("a personal code needs the instructor's variants secret")
    digest = hmac.new(str(secret).encode(), b"mlsys-lab code\0" + canonical_id(roster_id).encode(), hashlib.sha256)
    number = int.from_bytes(digest.digest()[:5], "big")
    data = "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_DATA)))
    code = data + _check_character(data)
    return f"{code[:3]}-{code[3:6]}-{code[6:]}"


def normalise_code(text: str) -> str:
    """``text`` as a code (upper case, without spaces and dashes, O read as 0 and I, L as 1), or
    :class:`BadCode` saying what is wrong with it."""
    raw = "".join(str(text).split()).replace("-", "").upper().translate(_LOOKALIKES)
    wrong = sorted({c for c in raw if c not in CODE_ALPHABET})
    if wrong:
        raise BadCode(
            f"a personal code holds only letters and digits (and dashes); {', '.join(map(repr, wrong))} "
            "cannot be part of one"
        )
    if len(raw) != CODE_DATA + 1:
        raise BadCode(
            f"a personal code has {CODE_DATA + 1} letters and digits, like K7Q-M2X-APZ; this one has {len(raw)}"
        )
    if _check_character(raw[:-1]) != raw[-1]:
        raise BadCode("this code has a typo (its check character does not match): copy it again from your course page")
    return raw


def configure(code: str | None, assignment: str | None, student: str | None = None) -> None:
    """Set whose numbers are drawn: ``code`` is the student's personal code (None: the
    master's own numbers); a malformed code raises :class:`BadCode`.

    Instructor side (the grader, the audits, tests): with ``student``, a roster id, the first
    argument is the instructor's secret and the student's code is derived from it."""
    if student is not None:
        student = str(student).strip()
        if not ROSTER_ID.match(student):
            raise ValueError(
                "a roster id is letters, digits and . _ @ + - (at most 64 characters), "
                "as it appears on your course roster"
            )
        code = personal_code(code, student) if code else None
    _context.update(code=normalise_code(code) if code else None, assignment=assignment)


def student() -> str | None:
    """The personal code whose numbers are drawn, or None for the master's own numbers."""
    return _context["code"]


def _unit(question: str, name: str) -> float:
    """A number in [0, 1) that only the code, assignment, question and name decide."""
    message = "\0".join([str(_context["assignment"]), question, name]).encode()
    digest = hmac.new(str(_context["code"]).encode(), message, hashlib.sha256).digest()
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
                "graded copy has its own (set PERSONAL_CODE in the notebook's first cell to see yours)."
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
    # which order counts, said plainly: the Markdown above the cell shows the master's order
    # (autograder/authoring/option_order.py), so the two must not read as rivals
    if student() is None:
        lines.append(
            "*(No personal code yet: this is the master's order, as listed above. Each student's graded "
            "copy orders these options differently: set PERSONAL_CODE in the notebook's first cell and "
            "run this cell again to see yours.)*"
        )
    else:
        lines.insert(0, "*Your own order of the options: answer with these letters, they are the ones graded.*")
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
