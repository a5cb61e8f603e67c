"""The one unit registry of :mod:`mlsys_lab`, and the argument checks every calculator uses.

Units
-----
``ureg`` is a :class:`pint.UnitRegistry` built from pint's standard definitions with
three changes that matter for ML-systems arithmetic:

* **Information has its own dimension.** Stock pint treats ``bit`` and ``byte`` as
  dimensionless, so it cannot tell "5 MB" from "5". Here ``bit = [information]``, so a
  data size, a data rate (``MB/s``, ``Mb/s``) and an arithmetic intensity (``FLOP/byte``)
  are all distinct dimensions and mixing them up raises an error.
* **``b`` means bit.** ``Mb/s``, ``Gb`` and ``Mbps`` are megabits per second, gigabits and
  megabits per second, as in networking. (Stock pint reads ``b`` as *barn* and ``Gb`` as
  *gilbert*; those two units keep their long names ``barn`` and ``gilbert``.) Decimal
  prefixes are decimal: ``MB`` is 10**6 bytes, ``KB``/``kB`` 10**3 bytes; binary sizes are
  spelled ``KiB``, ``MiB``, ``GiB``.
* **Operations and money are dimensions.** ``flop`` (symbol ``FLOP``; integer operations
  use the same unit) is the unit of ``[operation]``, so ``TFLOP/s`` is a compute rate;
  ``USD`` (alias ``dollar``) is the unit of ``[currency]``. Data-sheet spellings work:
  ``TFLOPS`` and ``TOPS`` mean tera-operations *per second*, while ``GFLOPs`` (lower-case
  s) is a plural count, like ``GFLOP``. ``MAC`` (``multiply_accumulate``) is two
  operations: model sizes such as MobileNetV2's 300 M are multiply-accumulate counts, so
  ``Q_(300, "MMAC").to("GFLOP")`` is 0.6 GFLOP.

``Q_`` is ``ureg.Quantity``. Use these two names, never a second registry: quantities
from different registries cannot be combined.

Building the registry parses pint's definition files (about half a second). To make
later kernels start faster the parse is cached on disk, under
``$MLSYS_LAB_CACHE_DIR`` or ``~/.cache/mlsys_lab/``; set ``MLSYS_LAB_NO_CACHE=1`` to
build in memory every time. Any cache problem silently falls back to the in-memory build.

Checks
------
One check per kind of argument; calculators build on these instead of writing their own:

* a value with a unit: ``as_quantity(value, unit, name)`` turns a plain number (read in
  ``unit``) or a quantity of the right dimension into a quantity in ``unit``;
  ``positive_quantity`` and ``nonnegative_quantity`` add the range check;
* a ratio, factor or other dimensionless number: ``as_number(value, name)`` takes a plain
  number or a dimensionless quantity (so every figure stored in :mod:`mlsys_lab.facts.constants`
  can be passed as it is) and returns a float; ``positive_number`` and
  ``nonnegative_number`` add the range check;
* a probability or fraction in [0, 1]: ``require_probability``; a whole number:
  ``require_count``; a plain number that must not carry a unit: ``require_real``.

All of them raise :class:`mlsys_lab.errors.InputError` with a message that starts with
the argument's name. ``Number`` is the type of such an argument (a plain number or a
quantity), used in calculator signatures.
"""

from __future__ import annotations

import math
import numbers
from importlib import resources
from typing import Any

import pint

from .errors import InputError

__all__ = [
    "ureg",
    "Q_",
    "Quantity",
    "Number",
    "as_number",
    "as_quantity",
    "as_float_array",
    "describe_dimension",
    "format_quantity",
    "is_quantity",
    "require_count",
    "require_nonnegative",
    "require_positive",
    "require_probability",
    "require_real",
    "positive_number",
    "nonnegative_number",
    "positive_quantity",
    "nonnegative_quantity",
]


def _definition_lines() -> list[str]:
    """pint's default definitions, with the course's changes applied (see module doc)."""
    root = resources.files("pint")
    default = (root / "default_en.txt").read_text(encoding="utf-8")
    constants = (root / "constants_en.txt").read_text(encoding="utf-8")
    lines: list[str] = []
    for line in default.splitlines():
        stripped = line.strip()
        if stripped.startswith("@import constants_en.txt"):
            lines.extend(constants.splitlines())
            continue
        if stripped == "bit = []":
            line = "bit = [information] = b"
        elif stripped.startswith("barn = ") and stripped.endswith("= b"):
            line = line.rsplit("=", 1)[0].rstrip()
        elif stripped.startswith("gilbert = ") and stripped.endswith("= Gb"):
            line = line.rsplit("=", 1)[0].rstrip()
        lines.append(line)
    return lines


_EXTRA_DEFINITIONS = (
    "USD = [currency] = _ = dollar = usd",
    "flop = [operation] = FLOP",
    "KB = 1000 * byte",
    # Rates written the way hardware data sheets write them: TFLOPS, TOPS (per second).
    "FLOPS = flop / second",
    "OPS = flop / second",
    # Model op counts are quoted in multiply-accumulates; one MAC is a multiply and an add.
    "multiply_accumulate = 2 * flop = MAC",
)


def _registry_is_sound(registry: pint.UnitRegistry) -> bool:
    try:
        return (
            registry.parse_units("b").dimensionality == registry.parse_units("byte").dimensionality
            and str(registry.parse_units("Mb/s").dimensionality) == "[information] / [time]"
            and str(registry.parse_units("USD").dimensionality) == "[currency]"
            and str(registry.parse_units("TFLOPS").dimensionality) == "[operation] / [time]"
        )
    except Exception:  # pragma: no cover - defensive
        return False


def _cache_dir():
    """Where the registry's definition file and pint's parse cache live (or None)."""
    import os
    from pathlib import Path

    if os.environ.get("MLSYS_LAB_NO_CACHE"):
        return None
    base = os.environ.get("MLSYS_LAB_CACHE_DIR")
    if base:
        root = Path(base)
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mlsys_lab"
    return root / f"pint-{pint.__version__}"


def _cached_registry(lines: list[str]):
    """Build the registry through pint's on-disk cache (about 5x faster on later imports).

    The definitions are written once to a content-addressed file; pint then caches its
    parse of that file. Any problem (read-only home, a damaged cache) returns None and the
    caller builds the registry in memory instead.
    """
    import hashlib
    import os

    directory = _cache_dir()
    if directory is None:
        return None
    try:
        text = "\n".join(lines) + "\n"
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"units-{digest}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            tmp = directory / f".units-{digest}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        registry = pint.UnitRegistry(str(path), cache_folder=str(directory))
    except Exception:
        return None
    return registry if _registry_is_sound(registry) else None


def _make_registry() -> pint.UnitRegistry:
    lines = _definition_lines() + list(_EXTRA_DEFINITIONS)
    registry = _cached_registry(lines)
    if registry is not None:
        return registry
    registry = pint.UnitRegistry(None)
    registry.load_definitions(lines)
    # Rebuild pint's dimensionality cache now that every definition is in place.
    build_cache = getattr(registry, "_build_cache", None)
    if build_cache is not None:
        build_cache()
    return registry


ureg = _make_registry()
Q_ = ureg.Quantity
Quantity = ureg.Quantity

#: What a calculator argument may be: a plain number (read in the argument's default
#: unit, or as a ratio or count) or a pint quantity. Used in signatures instead of ``Any``.
Number = float | int | pint.Quantity

# Words for the dimensions a student meets in the course, used in error messages.
_DIMENSION_WORDS: list[tuple[str, str]] = [
    ("byte", "data size"),
    ("second", "time"),
    ("byte / second", "data rate"),
    ("flop", "operation count"),
    ("flop / second", "compute rate"),
    ("flop / byte", "arithmetic intensity"),
    ("joule", "energy"),
    ("joule / flop", "energy per operation"),
    ("joule / byte", "energy per byte"),
    ("watt", "power"),
    ("USD", "money"),
    ("USD / second", "money per time (e.g. USD/year)"),
    ("USD / byte", "price per data size"),
    ("USD / byte / second", "storage price (e.g. USD/GB/month)"),
    ("USD / flop", "price per operation"),
    ("1 / second", "rate (per unit time)"),
    ("dimensionless", "dimensionless number"),
    ("meter", "length"),
    ("kilogram", "mass"),
]
_WORD_BY_DIMENSIONALITY = {ureg.parse_units(u).dimensionality: w for u, w in _DIMENSION_WORDS}


def describe_dimension(units_or_dimensionality: Any) -> str:
    """Name a dimension in words ("data size", "time", "data rate", ...)."""
    if isinstance(units_or_dimensionality, str):
        dim = ureg.parse_units(units_or_dimensionality).dimensionality
    elif hasattr(units_or_dimensionality, "dimensionality"):
        dim = units_or_dimensionality.dimensionality
    else:
        dim = units_or_dimensionality
    word = _WORD_BY_DIMENSIONALITY.get(dim)
    if word is not None:
        return word
    text = str(dim)
    return "quantity of dimension " + (text if text else "dimensionless")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def is_quantity(value: Any) -> bool:
    """True for any pint quantity (from this or another registry)."""
    return isinstance(value, pint.Quantity)


def format_quantity(q: Any) -> str:
    """Short text for a scalar quantity or number: ``-2 megabit / second``."""
    if is_quantity(q):
        magnitude = q.magnitude
        units = str(q.units)
        if isinstance(magnitude, numbers.Real):
            text = f"{float(magnitude):g}"
        else:
            text = str(magnitude)
        return f"{text} {units}".rstrip() if units != "dimensionless" else text
    if isinstance(q, numbers.Real) and not isinstance(q, bool):
        return f"{float(q):g}"
    return repr(q)


def _type_name(value: Any) -> str:
    return type(value).__name__


def _is_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    # numpy booleans are not Python bools; recognise them without importing numpy.
    return type(value).__name__ in {"bool_", "bool8"} and type(value).__module__ == "numpy"


def require_real(value: Any, name: str) -> float:
    """A finite plain real number (not a bool, string, None or quantity), as ``float``."""
    if _is_bool(value):
        raise InputError(f"{name}: expected a number, got bool {value!r}")
    if is_quantity(value):
        raise InputError(f"{name}: expected a plain number, got a quantity ({format_quantity(value)})")
    if not isinstance(value, numbers.Real):
        raise InputError(f"{name}: expected a number, got {_type_name(value)} {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise InputError(f"{name}: must be a finite number, got {number!r}")
    return number


def as_quantity(value: Any, unit: str, name: str):
    """Return ``value`` as a scalar quantity expressed in ``unit``.

    ``value`` may be a plain real number, read as being in ``unit``, or a pint quantity
    whose dimension matches ``unit`` (any compatible unit is converted). Quantities from
    another pint registry are accepted and re-created in :data:`ureg`. bool, str, None,
    NaN, infinities, arrays and quantities of the wrong dimension raise
    :class:`InputError` naming ``name``.
    """
    target = ureg.parse_units(unit)
    if _is_bool(value):
        raise InputError(f"{name}: expected a number or a quantity in {unit}, got bool {value!r}")
    if is_quantity(value):
        quantity = value
        if getattr(quantity, "_REGISTRY", None) is not ureg:
            try:
                quantity = Q_(quantity.magnitude, str(quantity.units))
            except pint.errors.PintError as exc:
                raise InputError(f"{name}: unit {quantity.units!s} is not known to mlsys_lab's registry") from exc
        magnitude = quantity.magnitude
        if _is_bool(magnitude) or not isinstance(magnitude, numbers.Real):
            raise InputError(
                f"{name}: expected a single number with a unit, got a magnitude of type {_type_name(magnitude)}"
            )
        if quantity.dimensionality != target.dimensionality:
            expected = describe_dimension(target)
            got = describe_dimension(quantity)
            raise InputError(
                f"{name}: expected {_article(expected)} {expected} (e.g. {unit}), "
                f"got {_article(got)} {got} ({quantity.units})"
            )
        if not math.isfinite(float(magnitude)):
            raise InputError(f"{name}: must be finite, got {format_quantity(quantity)}")
        converted = quantity.to(target)
        return Q_(float(converted.magnitude), target)
    if value is None or isinstance(value, (str, bytes)) or not isinstance(value, numbers.Real):
        raise InputError(f"{name}: expected a number or a quantity in {unit}, got {_type_name(value)} {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise InputError(f"{name}: must be a finite number, got {number!r}")
    return Q_(number, target)


def _magnitude_for_check(q: Any, name: str) -> float:
    if is_quantity(q):
        return float(q.magnitude)
    return require_real(q, name)


def require_positive(q: Any, name: str):
    """Check that a quantity (or plain number) is > 0 and return it unchanged."""
    if _magnitude_for_check(q, name) <= 0:
        raise InputError(f"{name}: must be positive, got {format_quantity(q)}")
    return q


def require_nonnegative(q: Any, name: str):
    """Check that a quantity (or plain number) is >= 0 and return it unchanged."""
    if _magnitude_for_check(q, name) < 0:
        raise InputError(f"{name}: must not be negative, got {format_quantity(q)}")
    return q


def positive_quantity(value: Any, unit: str, name: str):
    """``as_quantity`` followed by ``require_positive``."""
    return require_positive(as_quantity(value, unit, name), name)


def nonnegative_quantity(value: Any, unit: str, name: str):
    """``as_quantity`` followed by ``require_nonnegative``."""
    return require_nonnegative(as_quantity(value, unit, name), name)


def as_number(value: Any, name: str) -> float:
    """A ratio, factor, fraction or count: a plain real number or a dimensionless quantity.

    The one check behind :mod:`mlsys_lab.facts.constants`' promise that every calculator takes
    its dimensionless figures as stored (``C.AMDAHL_KERNEL_SPEEDUP``) or as plain numbers
    (``10``). ``Q_(95, "percent")`` becomes 0.95. Returns a finite ``float``; a quantity
    with a dimension, bool, str, None, NaN and infinities raise :class:`InputError`.
    """
    if is_quantity(value):
        return float(as_quantity(value, "dimensionless", name).magnitude)
    return require_real(value, name)


def positive_number(value: Any, name: str) -> float:
    """:func:`as_number` that must also be > 0."""
    number = as_number(value, name)
    if number <= 0:
        raise InputError(f"{name}: must be positive, got {number:g}")
    return number


def nonnegative_number(value: Any, name: str) -> float:
    """:func:`as_number` that must also be >= 0."""
    number = as_number(value, name)
    if number < 0:
        raise InputError(f"{name}: must not be negative, got {number:g}")
    return number


def require_probability(x: Any, name: str) -> float:
    """A probability or fraction in [0, 1], returned as ``float``.

    Accepts a plain real number or a dimensionless quantity (so ``Q_(95, "percent")``
    becomes 0.95). Percent written as a plain number (``95``) is rejected: write 0.95.
    """
    if is_quantity(x):
        try:
            q = as_quantity(x, "dimensionless", name)
        except InputError as exc:
            raise InputError(
                f"{name}: must be a probability in [0, 1] (a plain number or a dimensionless "
                f"quantity), got {format_quantity(x)}"
            ) from exc
        value = float(q.magnitude)
    else:
        value = require_real(x, name)
    if not 0.0 <= value <= 1.0:
        raise InputError(f"{name}: must be a probability in [0, 1], got {value:g}")
    return value


def require_count(n: Any, name: str, *, minimum: int = 1) -> int:
    """A whole number >= ``minimum`` (default 1), returned as ``int``.

    Integral floats such as ``150.0`` and dimensionless quantities are accepted; bool,
    fractions and non-numbers are rejected.
    """
    if _is_bool(n):
        raise InputError(f"{name}: expected a whole number, got bool {n!r}")
    if is_quantity(n):
        n = as_quantity(n, "dimensionless", name).magnitude
    if isinstance(n, numbers.Integral):
        value = int(n)
    elif isinstance(n, numbers.Real) and not isinstance(n, (str, bytes)):
        number = float(n)
        if not math.isfinite(number) or not number.is_integer():
            raise InputError(f"{name}: must be a whole number, got {number:g}")
        value = int(number)
    else:
        raise InputError(f"{name}: expected a whole number, got {_type_name(n)} {n!r}")
    if value < minimum:
        what = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
        raise InputError(f"{name}: must be {what}, got {value}")
    return value


def as_float_array(
    values: Any,
    name: str,
    *,
    min_size: int = 1,
    nonnegative: bool = False,
    unit: str | None = None,
):
    """A 1-D numpy array of finite floats built from a sequence or array.

    With ``unit`` given, a quantity array is converted to that unit first (plain numbers
    are read in ``unit``). Strings, bools, None, NaN and infinities raise InputError.
    """
    import numpy as np

    if isinstance(values, (str, bytes)) or values is None or _is_bool(values):
        raise InputError(f"{name}: expected a sequence of numbers, got {_type_name(values)} {values!r}")
    if is_quantity(values):
        if unit is None:
            raise InputError(f"{name}: expected plain numbers, got a quantity in {values.units}")
        quantity = values
        if getattr(quantity, "_REGISTRY", None) is not ureg:
            quantity = Q_(np.asarray(quantity.magnitude), str(quantity.units))
        target = ureg.parse_units(unit)
        if quantity.dimensionality != target.dimensionality:
            expected = describe_dimension(target)
            got = describe_dimension(quantity)
            raise InputError(
                f"{name}: expected {_article(expected)} {expected} (e.g. {unit}), "
                f"got {_article(got)} {got} ({quantity.units})"
            )
        values = quantity.to(target).magnitude
    try:
        items = list(np.ravel(np.asarray(values, dtype=object)))
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise InputError(f"{name}: expected a sequence of numbers") from exc
    for item in items:
        if _is_bool(item) or is_quantity(item) or not isinstance(item, numbers.Real):
            raise InputError(f"{name}: every element must be a plain number, got {_type_name(item)} {item!r}")
    array = np.asarray([float(item) for item in items], dtype=float)
    if array.size < min_size:
        raise InputError(f"{name}: needs at least {min_size} value(s), got {array.size}")
    if not np.all(np.isfinite(array)):
        raise InputError(f"{name}: every element must be finite (no NaN or infinity)")
    if nonnegative and np.any(array < 0):
        raise InputError(f"{name}: values must not be negative, got {array.min():g}")
    return array
