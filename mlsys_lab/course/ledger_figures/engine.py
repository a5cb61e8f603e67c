"""Evaluate a figure-ledger row: call the calculator it names and read the figure off the result.

The rows are ``ml_workflow.toml`` (ML Workflow, §ML Lifecycle to §Lifecycle Stages, Example 1.1)
and ``conclusion.toml`` (Conclusion, §Thirteen Quantitative Invariants to §Fallacies and
Pitfalls) in this folder: one ``[[section]]`` table per chapter section (``title``), one
``[[section.figure]]`` row per figure. A row's keys::

    id, description, unit, printed   the figure as the chapter prints it
    call          the calculator, a dotted path under mlsys_lab.science or mlsys_lab.facts
                  ("science.latency.serial_latency", or a registry object's method such as
                  "facts.hardware.H100.peak")
    args, kwargs  its arguments: "C.NAME" is mlsys_lab.facts.constants.NAME; other strings,
                  numbers and booleans are literals; lists are evaluated item by item;
                  {call = ..., args = ..., kwargs = ...} is a nested call, {ref = "..."} an
                  object of mlsys_lab, {quantity = [1, "day"]} a pint quantity
    pick          {attribute = value}: the one item of the returned list with that value
    attr          attribute path read off the result ("cloud.total")
    method, method_args   a method of the result, called with these arguments
    count         true: the figure is the number of items
    to            unit the quantity is converted to before its magnitude is taken
    scale         factor applied last (100 for a share shown in percent)
    tolerance     relative (default 0.001), or printed_decimals: half a unit of the last digit
    printed_by    "course example" where the chapter prints no number

The reading steps (pick to scale) apply in the order listed. No string is evaluated as code:
names are looked up module then attribute by attribute, a calculator must be defined in
mlsys_lab (not merely imported there), and a row naming an unknown calculator, constant or key
raises :class:`LedgerRowError`, whose message starts with the file and the row. :mod:`mlsys_lab.course.ledger` turns the evaluated rows into figures.
"""

from __future__ import annotations

import difflib
import importlib
import json
import math
from importlib.resources import files
from types import ModuleType
from typing import Any, Iterator

__all__ = ["LedgerRowError", "DATA_FILES", "data_files", "rows", "computed"]

DATA_FILES = ("ml_workflow.toml", "conclusion.toml")  # in the order of the book
ROOTS = ("science", "facts")  # where a row may name a calculator or an object
FILE_KEYS = {"chapter", "section"}
SECTION_KEYS = {"title", "figure"}
ROW_KEYS = {
    *("id", "description", "unit", "printed", "tolerance", "printed_decimals", "printed_by"),
    *("call", "args", "kwargs", "pick", "attr", "method", "method_args", "count", "to", "scale"),
}
REQUIRED_ROW_KEYS = ("id", "description", "call", "unit", "printed")


class LedgerRowError(ValueError):
    """A ledger row that cannot be evaluated; the message starts with its file and row."""


def fail(where: str, problem: str) -> None:
    """Stop at a row that cannot be evaluated, saying where it is and what is wrong."""
    raise LedgerRowError(f"{where}: {problem}")


def data_files() -> Iterator[tuple[str, str]]:
    """``(source, text)`` of each ledger file in book order; ``source`` is the path shown in errors."""
    folder = files(__package__)
    for name in DATA_FILES:
        yield f"mlsys_lab/course/ledger_figures/{name}", (folder / name).read_text(encoding="utf-8")


def _load_toml(text: str, source: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the same parser ships as the tomli package
        try:
            import tomli as tomllib
        except ModuleNotFoundError as exc:
            raise ModuleNotFoundError("the figure ledger reads TOML: use Python 3.11+ or install tomli") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LedgerRowError(f"{source}: not valid TOML: {exc}") from exc


def _check_keys(table: dict, allowed: set[str], where: str, what: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        hints = [difflib.get_close_matches(k, allowed, n=1) for k in unknown]
        said = ", ".join(f"{k!r}" + (f" (did you mean {h[0]!r}?)" if h else "") for k, h in zip(unknown, hints))
        fail(where, f"unknown key {said} in {what}; allowed: {', '.join(sorted(allowed))}")


def rows(text: str, source: str) -> Iterator[tuple[str, str, dict, str]]:
    """``(chapter, section title, row, where)`` for each row of one ledger file, keys checked."""
    data = _load_toml(text, source)
    _check_keys(data, FILE_KEYS, source, "the file")
    chapter = data.get("chapter")
    if not isinstance(chapter, str):
        fail(source, 'the file needs chapter = "..."')
    for s_number, section in enumerate(data.get("section", []), start=1):
        title = section.get("title")
        if not isinstance(title, str):
            fail(f"{source}, section {s_number}", 'the section needs title = "§..."')
        _check_keys(section, SECTION_KEYS, f"{source}, section {title!r}", "a section")
        for r_number, row in enumerate(section.get("figure", []), start=1):
            where = f"{source}, row {row.get('id', f'#{r_number}')} (section {title!r})"
            _check_keys(row, ROW_KEYS, where, "a figure row")
            missing = [k for k in REQUIRED_ROW_KEYS if k not in row]
            if missing:
                fail(where, f"missing {', '.join(missing)}")
            yield chapter, title, row, where


def _resolve(path: Any, where: str, kind: str) -> Any:
    """The object at ``mlsys_lab.<path>``, looked up module then attribute by attribute."""
    parts = path.split(".") if isinstance(path, str) else []
    if len(parts) < 2 or parts[0] not in ROOTS or not all(p.isidentifier() and p[0] != "_" for p in parts):
        fail(where, f"{kind} {path!r} is not a dotted path under mlsys_lab.{' or mlsys_lab.'.join(ROOTS)}")
    module_name = f"mlsys_lab.{parts[0]}.{parts[1]}"
    try:
        obj = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        fail(where, f"unknown {kind} {path!r}: there is no module {module_name}")
    for depth, part in enumerate(parts[2:], start=2):
        if not hasattr(obj, part):
            fail(where, f"unknown {kind} {path!r}: mlsys_lab.{'.'.join(parts[:depth])} has no {part!r}")
        obj = getattr(obj, part)
        if isinstance(obj, ModuleType):  # e.g. a module's own `import math`: not the course's
            fail(where, f"{kind} {path!r} leaves mlsys_lab through the imported module {part!r}")
    if callable(obj) and not str(getattr(obj, "__module__", "")).startswith("mlsys_lab."):
        fail(where, f"{kind} {path!r} is not defined in mlsys_lab")
    return obj


def _constant(name: str, where: str) -> Any:
    from mlsys_lab.facts import constants as C

    key = name[2:]
    if not key.isidentifier() or key.startswith("_") or not hasattr(C, key):
        close = difflib.get_close_matches(key, [n for n in dir(C) if n.isupper()], n=1)
        hint = f" (did you mean 'C.{close[0]}'?)" if close else ""
        fail(where, f"unknown constant {name!r}: mlsys_lab.facts.constants has no {key!r}{hint}")
    return getattr(C, key)


def _argument(spec: Any, where: str, cache: dict) -> Any:
    """A row's argument: a constant, a literal, a list, a nested call, an object or a quantity."""
    if isinstance(spec, str):
        return _constant(spec, where) if spec.startswith("C.") else spec
    if isinstance(spec, (bool, int, float)):
        return spec
    if isinstance(spec, list):
        return [_argument(item, where, cache) for item in spec]
    if isinstance(spec, dict) and "call" in spec:
        _check_keys(spec, {"call", "args", "kwargs"}, where, "a nested call")
        return _call(spec, where, cache)
    if isinstance(spec, dict) and set(spec) == {"ref"}:
        return _resolve(spec["ref"], where, "object")
    if isinstance(spec, dict) and set(spec) == {"quantity"}:
        from mlsys_lab.units import Q_

        quantity = spec["quantity"]
        if not (isinstance(quantity, list) and len(quantity) == 2 and isinstance(quantity[1], str)):
            fail(where, f"quantity must be [value, unit], got {quantity!r}")
        try:
            return Q_(*quantity)
        except Exception as exc:  # pint: an unknown unit
            raise LedgerRowError(f"{where}: quantity {quantity!r}: {type(exc).__name__}: {exc}") from exc
    fail(where, f"argument {spec!r} is not a constant, literal, list, {{call}}, {{ref}} or {{quantity}}")


def _call(spec: dict, where: str, cache: dict) -> Any:
    """Call the calculator a row (or a nested argument) names; identical calls run once."""
    args, kwargs = spec.get("args", []), spec.get("kwargs", {})
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        fail(where, "args must be a list and kwargs a table")
    key = json.dumps([spec["call"], args, kwargs], sort_keys=True)
    if key not in cache:
        function = _resolve(spec["call"], where, "calculator")
        if not callable(function):
            fail(where, f"calculator {spec['call']!r} is not callable")
        values = [_argument(a, where, cache) for a in args]
        named = {k: _argument(v, where, cache) for k, v in kwargs.items()}
        try:
            cache[key] = function(*values, **named)
        except Exception as exc:  # the calculator refused the inputs: say which row
            raise LedgerRowError(f"{where}: {spec['call']} raised {type(exc).__name__}: {exc}") from exc
    return cache[key]


def _attribute(value: Any, path: str, where: str) -> Any:
    for part in str(path).split("."):
        if value is None:  # the calculator found nothing: the figure is NaN and shows as off
            return math.nan
        if not part.isidentifier() or part.startswith("_") or not hasattr(value, part):
            fail(where, f"the result ({type(value).__name__}) has no attribute {part!r}")
        value = getattr(value, part)
    return value


def _pick(items: Any, wanted: Any, where: str) -> Any:
    if not isinstance(wanted, dict) or len(wanted) != 1:
        fail(where, 'pick must be a table with one attribute, e.g. { tier = "DRAM" }')
    ((name, value),) = wanted.items()
    found = [item for item in items if getattr(item, name, None) == value]
    if len(found) != 1:
        fail(where, f"pick {name} = {value!r} matched {len(found)} items of the result, not one")
    return found[0]


def _magnitude(q: Any, unit: str | None = None) -> float:
    """Magnitude of a quantity (optionally converted), or the float itself."""
    if hasattr(q, "magnitude"):
        return float(q.to(unit).magnitude if unit else q.magnitude)
    return float(q)


def computed(row: dict, where: str, cache: dict) -> float:
    """Call the row's calculator and read the figure off the result (steps in docstring order).

    ``cache`` maps a call (path and arguments as written) to its result; share one dict across
    the rows of a build so that rows reading the same result call the calculator once.
    """
    value = _call(row, where, cache)
    try:
        return _read_off(value, row, where, cache)
    except LedgerRowError:
        raise
    except Exception as exc:  # e.g. a unit that does not fit the result: say which row
        raise LedgerRowError(f"{where}: reading the figure off the result failed: {type(exc).__name__}: {exc}") from exc


def _read_off(value: Any, row: dict, where: str, cache: dict) -> float:
    if "pick" in row:
        value = _pick(value, row["pick"], where)
    if "attr" in row:
        value = _attribute(value, row["attr"], where)
    if "method" in row:
        method = _attribute(value, row["method"], where)
        value = method(*[_argument(a, where, cache) for a in row.get("method_args", [])])
    if row.get("count"):
        value = len(value)
    if "to" in row:
        value = _magnitude(value, row["to"])
    if "scale" in row:
        value = row["scale"] * value
    return float(value)
