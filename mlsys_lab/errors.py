"""Exceptions raised by :mod:`mlsys_lab`.

Every calculator checks its arguments before doing any arithmetic. When an
argument makes no sense (a negative bandwidth, a duration where a data size
belongs, a probability of 1.5, a string instead of a number) it raises
:class:`InputError`. The message always starts with the argument's name,
followed by what was wrong, for example::

    bandwidth: must be positive, got -2 megabit / second
    photo_size: expected a data size (e.g. MB), got a time (second)
    prevalence: must be a probability in [0, 1], got 1.5

``InputError`` subclasses :class:`ValueError`, so code that already catches
``ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """A calculator argument is missing, of the wrong kind, or out of range."""
