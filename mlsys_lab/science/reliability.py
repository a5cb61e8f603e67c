"""Fleet reliability: many reliable parts make an unreliable whole.

Conclusion, §Journey Forward, horizon note "From node to fleet". With independent
failures, a pool of N devices each with mean time to failure MTTF fails, somewhere, on
average every ``MTTF / N``::

    MTBF_fleet = MTTF / N      (5.7 years / 1,024 GPUs = 48.8 hours)

and, with exponentially distributed lifetimes, the chance of at least one failure in a
window t is ``1 - exp(-N t / MTTF)``. Correlated failures (shared power, racks, network)
make things worse than this model.

Plain-number defaults: MTTF in years, windows in hours.
"""

from __future__ import annotations

import math

from ..units import Number, nonnegative_quantity, positive_quantity, require_count

__all__ = ["fleet_mtbf", "failure_probability", "expected_failures"]


def fleet_mtbf(mttf: Number, devices: Number):
    """Mean time between failures of a fleet: ``mttf / devices`` (hours)."""
    m = positive_quantity(mttf, "year", "mttf")
    n = require_count(devices, "devices")
    return (m / n).to("hour")


def expected_failures(window: Number, mttf: Number, devices: Number = 1) -> float:
    """Expected failures in ``window``: ``devices x window / mttf``."""
    t = nonnegative_quantity(window, "hour", "window")
    m = positive_quantity(mttf, "year", "mttf")
    n = require_count(devices, "devices")
    return float((n * t / m).to("dimensionless").magnitude)


def failure_probability(window: Number, mttf: Number, devices: Number = 1) -> float:
    """Probability of at least one failure in ``window``: ``1 - exp(-devices x window / mttf)``.

    A 1,024-GPU pool at a 5.7-year MTTF has about a 39% chance of a failure in any 24 h.
    """
    return 1.0 - math.exp(-expected_failures(window, mttf, devices))
