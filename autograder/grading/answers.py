"""The answers file: the only thing that crosses from a submission's sandbox to the scorer.

Stage 1 runs the student's notebook in a sandbox and ends with :func:`encode`, which turns the
assignment's declared answer variables (``q1_answer``, ``upload_hours_answer``, ...) into JSON.
Stage 2 reads that JSON back with :func:`decode` in a clean process and rebuilds the values the
hidden tests expect. Nothing else leaves the sandbox that a score depends on.

Everything inside the sandbox runs in the student's process, so the answers file is **the
student's claim**, never evidence: a notebook that forges it has only chosen its own answers,
which it could have done honestly. What this module guarantees is that the claim is *plain
data*. Each answer is recorded as one of

=================================================  ==========================================
``{"kind": "value", "value": V}``                  ``V`` is ``None``, ``bool``, ``int``,
                                                   ``float`` (finite), ``str``, or a ``list`` /
                                                   ``dict`` (``str`` keys) of those
``{"kind": "quantity", "magnitude": M,             a quantity of the course's unit registry,
"units": "hour"}``                                 ``M`` a finite ``int``/``float``, the units
                                                   in :func:`unit_factors`' grammar
``{"kind": "unanswered"}``                         still ``...`` (the released placeholder)
``{"kind": "missing"}``                            the variable was never set
``{"kind": "not_plain", "why": "..."}``            anything else: a subclass of ``str`` or
                                                   ``float``, an object with its own ``__eq__``,
                                                   a callable, a generator, NaN, a huge or
                                                   deeply nested value
=================================================  ==========================================

Types are checked exactly (``type(x) is str``), never with ``isinstance``, and nothing is
converted: a ``str`` subclass is *not plain* even if it would print like a string. :func:`decode`
re-checks every rule on the host, so a forged file can only ever hold plain answers. (A notebook
that rewrites this module inside its own process can make any answer it likes "plain", exactly
as it could by assigning that answer: the scorer only ever sees values the notebook chose.)
"""

from __future__ import annotations

import builtins
import json
import math
import re

# Stage 1 runs in the student's process, which may rebind builtins (``builtins.type = ...``)
# before the answers are read: every builtin used below is bound here, at import, which the
# runner does before any student code runs.
_type, _len, _abs, _str, _getattr, _isfinite = (
    builtins.type,
    builtins.len,
    builtins.abs,
    builtins.str,
    builtins.getattr,
    math.isfinite,
)
_list_iter, _dict_items, _dumps = list.__iter__, dict.items, json.dumps

FORMAT = "mlsys-lab-answers/1"

MAX_FILE_BYTES = 1 << 20
"""Largest answers file that is read at all (1 MiB)."""
MAX_STRING = 10_000
"""Longest string kept in an answer (characters)."""
MAX_ITEMS = 1_000
"""Most items in one list or dict (counted over the whole answer)."""
MAX_DEPTH = 8
"""Deepest nesting of lists and dicts."""
MAX_INT = 10**15
"""Largest integer magnitude kept (larger ones are 'huge')."""

KINDS = ("value", "quantity", "unanswered", "missing", "not_plain")


class NotPlain(ValueError):
    """A value is not a plain answer; the message says why (shown to the student)."""


# --------------------------------------------------------------------------------------------
# stage 1: in the sandbox


def _plain(value, depth: int, budget: list) -> object:
    """Return ``value`` as JSON-ready plain data, or raise :class:`NotPlain`."""
    kind = _type(value)
    if value is None or kind is bool:
        return value
    if kind is int:
        if _abs(value) > MAX_INT:
            raise NotPlain("an integer too large to be an answer")
        return value
    if kind is float:
        if not _isfinite(value):
            raise NotPlain("not a finite number (NaN or infinity)")
        return value
    if kind is str:
        if _len(value) > MAX_STRING:
            raise NotPlain(f"a text longer than {MAX_STRING} characters")
        return value
    if kind is list or kind is dict:
        if depth >= MAX_DEPTH:
            raise NotPlain(f"nested more than {MAX_DEPTH} levels deep")
        budget[0] -= _len(value)
        if budget[0] < 0:
            raise NotPlain(f"more than {MAX_ITEMS} items")
        if kind is list:
            return [_plain(item, depth + 1, budget) for item in _list_iter(value)]
        out = {}
        for key, item in _dict_items(value):
            if _type(key) is not str:
                raise NotPlain("a dict whose keys are not all plain strings")
            out[_plain(key, depth + 1, budget)] = _plain(item, depth + 1, budget)
        return out
    raise NotPlain(_type_name(value))


def _type_name(value) -> str:
    kind = _type(value)
    module = _getattr(kind, "__module__", "?")
    name = _getattr(kind, "__qualname__", "?")
    if module == "builtins":
        return f"a value of type {name}"
    return f"an object of type {module}.{name}"


def _numpy_real(value):
    """A numpy scalar of an exact numeric type, as a Python number; None otherwise."""
    kind = _type(value)
    if _getattr(kind, "__module__", None) != "numpy":
        return None
    if kind.__name__ in ("float64", "float32", "float16", "longdouble"):
        return float(value)
    if kind.__name__ in ("int64", "int32", "int16", "int8", "uint64", "uint32", "uint16", "uint8"):
        return int(value)
    return None


def encode_one(value, quantity_class=None) -> dict:
    """One answer as a record (see the module docstring)."""
    if value is Ellipsis:
        return {"kind": "unanswered"}
    try:
        if quantity_class is not None and _type(value) is quantity_class:
            magnitude = value.magnitude
            number = magnitude if _type(magnitude) in (int, float) else _numpy_real(magnitude)
            if number is None or _type(number) is bool:
                raise NotPlain("a quantity whose magnitude is not a single number")
            _plain(number, 0, [MAX_ITEMS])
            return {"kind": "quantity", "magnitude": number, "units": _str(value.units)}
        number = _numpy_real(value)
        if number is not None:
            return {"kind": "value", "value": _plain(number, 0, [MAX_ITEMS])}
        return {"kind": "value", "value": _plain(value, 0, [MAX_ITEMS])}
    except NotPlain as exc:
        return {"kind": "not_plain", "why": _str(exc)[:200]}
    except Exception as exc:  # a hostile object can raise anything while being looked at
        return {"kind": "not_plain", "why": f"could not be read ({_type(exc).__name__})"}


def encode(namespace: dict, names: list[str], quantity_class=None) -> str:
    """The answers file for ``names`` as found in ``namespace`` (the notebook's globals)."""
    answers = {}
    for name in names:
        if name in namespace:
            answers[name] = encode_one(namespace[name], quantity_class)
        else:
            answers[name] = {"kind": "missing"}
    text = _dumps({"format": FORMAT, "answers": answers}, allow_nan=False, ensure_ascii=True)
    if _len(text) > MAX_FILE_BYTES:  # keep the file bounded: drop the largest answers first
        for name in sorted(answers, key=lambda n: -_len(_dumps(answers[n]))):
            answers[name] = {"kind": "not_plain", "why": "too large"}
            text = _dumps({"format": FORMAT, "answers": answers})
            if _len(text) <= MAX_FILE_BYTES:
                break
    return text


# --------------------------------------------------------------------------------------------
# stage 2: on the host, in the scorer


class BadAnswersFile(ValueError):
    """The answers file as a whole is unusable (not JSON, wrong format, too large)."""


def _check_plain(value, depth: int, budget: list) -> None:
    """Re-check on the host that decoded JSON is plain (JSON gives only exact types)."""
    kind = type(value)
    if value is None or kind in (bool, str):
        if kind is str and len(value) > MAX_STRING:
            raise NotPlain(f"a text longer than {MAX_STRING} characters")
        return
    if kind is int:
        if abs(value) > MAX_INT:
            raise NotPlain("an integer too large to be an answer")
        return
    if kind is float:
        if not math.isfinite(value):
            raise NotPlain("not a finite number")
        return
    if kind in (list, dict):
        if depth >= MAX_DEPTH:
            raise NotPlain(f"nested more than {MAX_DEPTH} levels deep")
        budget[0] -= len(value)
        if budget[0] < 0:
            raise NotPlain(f"more than {MAX_ITEMS} items")
        for item in value.values() if kind is dict else value:
            _check_plain(item, depth + 1, budget)
        return
    raise NotPlain(_type_name(value))


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed in an answers file")


def parse(text: bytes | str) -> dict:
    """The records of an answers file, checked; raises :class:`BadAnswersFile`."""
    if len(text) > MAX_FILE_BYTES:
        raise BadAnswersFile(f"the answers file is larger than {MAX_FILE_BYTES} bytes")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise BadAnswersFile(f"the answers file is not valid JSON ({type(exc).__name__})") from exc
    if type(data) is not dict or data.get("format") != FORMAT or type(data.get("answers")) is not dict:
        raise BadAnswersFile("the answers file is not in the expected format")
    return data["answers"]


def decode(text: bytes | str, names: list[str], quantity_from=None) -> dict:
    """Rebuild the answers named ``names`` from an answers file.

    Returns ``{name: value}`` where a plain answer is its value (``Ellipsis`` when unanswered,
    a quantity rebuilt with ``quantity_from(magnitude, unit_factors(units))``), and a missing or non-plain
    one is a :class:`NotPlain` instance (which every check rejects). Names the assignment does
    not declare are ignored.
    """
    records = parse(text)
    values = {}
    for name in names:
        record = records.get(name)
        values[name] = _rebuild(record, quantity_from)
    return values


_REASONS = re.compile(
    "|".join(
        [
            r"an integer too large to be an answer",
            r"not a finite number \(NaN or infinity\)",
            r"a text longer than \d{1,6} characters",
            r"nested more than \d{1,3} levels deep",
            r"more than \d{1,6} items",
            r"a dict whose keys are not all plain strings",
            r"a quantity whose magnitude is not a single number",
            r"too large",
            r"a value of type [A-Za-z_]\w{0,60}",
            r"an object of type [A-Za-z_][\w.<>]{0,150}",
            r"could not be read \([A-Za-z_]\w{0,60}\)",
        ]
    )
)


def checked_reason(why) -> str:
    """The reason a ``not_plain`` record gives, if it is one :func:`encode_one` writes; else a
    fixed phrase. The record comes from the student's process, so its text reaches feedback
    only in the shapes above (names of types and exceptions, numbers), never as free prose."""
    if type(why) is str and _REASONS.fullmatch(why):
        return why
    return "not a plain answer"


def _rebuild(record, quantity_from):
    if type(record) is not dict or record.get("kind") not in KINDS:
        return NotPlain("no answer was recorded")
    kind = record["kind"]
    if kind == "unanswered":
        return Ellipsis
    if kind == "missing":
        return NotPlain("the answer variable was never set")
    if kind == "not_plain":
        return NotPlain(checked_reason(record.get("why")))
    try:
        if kind == "value":
            value = record.get("value")
            _check_plain(value, 0, [MAX_ITEMS])
            return value
        magnitude, units = record.get("magnitude"), record.get("units")
        if type(magnitude) not in (int, float) or type(units) is not str or len(units) > MAX_UNITS_TEXT:
            return NotPlain("a quantity that is not a number with a unit")
        _check_plain(magnitude, 0, [MAX_ITEMS])
        factors = unit_factors(units)  # before any unit library sees the text
        if quantity_from is None:
            return NotPlain("quantities cannot be read here")
        return quantity_from(magnitude, factors)
    except NotPlain as exc:
        return exc
    except MemoryError:  # the scorer's memory cap: the whole scoring stops (score.score_limited)
        raise
    except Exception:  # an unknown unit name, ...
        return NotPlain("a quantity whose unit the course does not know")


MAX_UNITS_TEXT = 200
"""Longest unit text read at all (characters)."""
MAX_UNIT_FACTORS = 8
"""Most unit names in one unit (``gigabyte * hour / second`` has three)."""
MAX_UNIT_POWER = 4
"""Largest power of one unit name (``second ** 2``; ``** -4`` .. ``** 4``)."""

_UNIT_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]{0,39})|(?P<one>1)|(?P<op>\*\*|\^|\*|/)|(?P<int>-?[0-9]+))"
)


def unit_factors(text: str) -> list[tuple[str, int]]:
    """The unit of a quantity record as ``[(unit name, power), ...]``, read with a grammar far
    smaller than a unit library's parser (which evaluates arithmetic, so ``hour**(9**9**9)``
    would run for minutes)::

        units  := "dimensionless" | factor (("*" | "/") factor)*
        factor := "1" | name [("**" | "^") power]        power: a whole number, 1 <= |n| <= 4

    This is exactly what pint writes for a quantity's units (``megabyte / second``,
    ``1 / hour``, ``gigabyte ** 2``). Anything else raises :class:`NotPlain` with the reason;
    whether each name is a unit of the course's registry is the caller's check.
    """
    if type(text) is not str or len(text) > MAX_UNITS_TEXT:
        raise NotPlain("a quantity whose unit text is too long")
    tokens, position, stripped = [], 0, text.rstrip()
    while position < len(stripped):
        match = _UNIT_TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            raise NotPlain(
                "a quantity whose unit has a character the course does not allow (only unit names, *, /, ** and whole numbers)"
            )
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    if [kind for kind, _ in tokens] == ["name"] and tokens[0][1] == "dimensionless":
        return []
    factors, sign, i = [], 1, 0
    while True:
        if i >= len(tokens) or tokens[i][0] not in ("name", "one"):
            raise NotPlain("a quantity whose unit is not a product of unit names and small powers")
        kind, name = tokens[i]
        power, i = 1, i + 1
        if i < len(tokens) and tokens[i][1] in ("**", "^"):
            if (
                kind == "one"
                or i + 1 >= len(tokens)
                or tokens[i + 1][0] not in ("int", "one")
                or len(tokens[i + 1][1]) > 3
            ):
                raise NotPlain("a quantity whose unit has a power that is not a small whole number")
            power, i = int(tokens[i + 1][1]), i + 2
            if not 1 <= abs(power) <= MAX_UNIT_POWER:
                raise NotPlain(f"a quantity whose unit has a power beyond {MAX_UNIT_POWER}")
        if kind == "name":
            factors.append((name, sign * power))
        if len(factors) > MAX_UNIT_FACTORS:
            raise NotPlain(f"a quantity whose unit has more than {MAX_UNIT_FACTORS} names")
        if i == len(tokens):
            return factors
        if tokens[i][1] not in ("*", "/"):
            raise NotPlain("a quantity whose unit is not a product of unit names and small powers")
        sign = -1 if tokens[i][1] == "/" else 1
        i += 1


def summary(values: dict) -> dict:
    """Plain, JSON-ready view of decoded answers for reports (quantities as magnitude+units)."""
    out = {}
    for name, value in values.items():
        if isinstance(value, NotPlain) or value is Ellipsis:
            out[name] = None
        elif hasattr(value, "magnitude") and hasattr(value, "units"):
            out[name] = {"magnitude": value.magnitude, "units": str(value.units)}
        else:
            out[name] = value
    return out
