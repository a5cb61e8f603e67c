"""Amdahl's law: the part you did not speed up caps the whole.

Conclusion, §Thirteen Quantitative Invariants, principle 8, and §Fallacies and Pitfalls
("a single optimized pipeline stage makes the system fast")::

    speedup = 1 / ((1 - f) + f / S)

where f is the fraction of the original time spent in the accelerated part and S is
that part's own speedup. A 10x faster kernel that accounted for 10% of the request gives
1 / (0.9 + 0.01) = 1.1x; even an infinitely fast kernel gives only 1 / 0.9 = 1.11x.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import InputError
from ..units import Number, as_float_array, positive_number, require_probability

__all__ = ["amdahl_speedup", "amdahl_limit", "required_factor", "amdahl_curve"]


def amdahl_speedup(fraction: Number, factor: Number) -> float:
    """Whole-system speedup when ``fraction`` of the time is sped up ``factor`` times.

    ``amdahl_speedup(0.10, 10)`` = 1.0989 (about 1.1x). A factor below 1 (a slowdown) is
    allowed and gives a result below 1.
    """
    f = require_probability(fraction, "fraction")
    s = positive_number(factor, "factor")
    return 1.0 / ((1.0 - f) + f / s)


def amdahl_limit(fraction: Number) -> float:
    """Speedup as the factor goes to infinity: ``1 / (1 - fraction)`` (inf when fraction = 1)."""
    f = require_probability(fraction, "fraction")
    return math.inf if f == 1.0 else 1.0 / (1.0 - f)


def required_factor(fraction: Number, target: Number) -> float:
    """Speedup the accelerated part needs for the whole to reach ``target``.

    Solves ``target = 1 / ((1 - f) + f / S)`` for S; raises InputError when the target is
    at or beyond the Amdahl limit (unreachable at any factor).
    """
    f = require_probability(fraction, "fraction")
    goal = positive_number(target, "target")
    if goal <= 1.0:
        return 1.0
    if f == 0:
        raise InputError("fraction: nothing is accelerated, so no factor can exceed 1x")
    limit = amdahl_limit(f)
    if goal >= limit:
        raise InputError(f"target: unreachable; the limit for fraction {f:g} is {limit:.4g}x, got {goal:g}")
    return f / (1.0 / goal - (1.0 - f))


def amdahl_curve(fraction: Number, factors: Any):
    """Speedup for each factor in a sequence (numpy array), for plots."""
    import numpy as np

    f = require_probability(fraction, "fraction")
    s = as_float_array(factors, "factors")
    if np.any(s <= 0):
        raise InputError("factors: every factor must be positive")
    return 1.0 / ((1.0 - f) + f / s)
