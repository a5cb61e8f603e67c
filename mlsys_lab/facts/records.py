"""The facts' one record shape and one registry: where a figure comes from, and how to look it up.

Every fact of the course (a chapter constant in :mod:`mlsys_lab.facts.constants`, a reference device
in :mod:`mlsys_lab.facts.hardware`, a Lighthouse workload in :mod:`mlsys_lab.facts.lighthouses`) is a frozen
record that derives from :class:`Sourced`, so each carries a ``source`` (chapter and section,
data sheet or library) and a ``note`` (where sources disagree, and the modelling choices). Each
kind lives in one :class:`Registry` keyed by a short lower-case id (``CONSTANTS``, ``DEVICES``,
``LIGHTHOUSES``), and the lookups ``constant(key)``, ``get_device(device)`` and
``get_lighthouse(workload)`` are its :meth:`Registry.lookup`.

The names of the sources every record cites are written here once (``ML_WORKFLOW``,
``CONCLUSION``, ``MLSYSIM``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import InputError

__all__ = ["Sourced", "Registry", "ML_WORKFLOW", "CONCLUSION", "MLSYSIM"]

ML_WORKFLOW = "ML Workflow"
"""The first course chapter, as source lines cite it ("ML Workflow, §Data Collection")."""
CONCLUSION = "Conclusion"
"""The second course chapter."""
MLSYSIM = "mlsysim (the textbook's companion library)"
"""The textbook's companion library, cited where it supplies or disagrees with a figure."""


@dataclass(frozen=True, kw_only=True)
class Sourced:
    """What every fact carries besides its value: where it comes from, and what to know about it.

    ``source`` names the chapter and section, data sheet or library; ``note`` says where sources
    disagree and which modelling choices the course made. Both are keyword-only, so a record type
    that derives from this one keeps its own fields first. Both may be left out (a student's own
    ``Device`` in an exercise need not cite anything); every record in a registry has a source.
    """

    source: str = ""  # a student's own record may leave it out; every registered one has it (tests)
    note: str = ""


R = TypeVar("R", bound=Sourced)


class Registry(dict, Generic[R]):
    """Records of one kind keyed by a short lower-case id, with one lookup and one error message.

    ``kind`` names an id in messages ("device", "Lighthouse"); ``argument`` is the parameter
    name the lookup reports ("device", "workload"), so an unknown id fails like every other bad
    argument, with an :class:`~mlsys_lab.errors.InputError` that starts with the argument's name.
    """

    def __init__(self, kind: str, record_type: type[R], argument: str, records: Mapping[str, R] | None = None):
        super().__init__()
        self.kind, self.record_type, self.argument = kind, record_type, argument
        for key, record in (records or {}).items():
            self.add(key, record)

    def add(self, key: str, record: R) -> R:
        """Register ``record`` under ``key`` (each id once) and return it."""
        if key in self:  # pragma: no cover - guards against editing mistakes
            raise RuntimeError(f"duplicate {self.kind} id {key!r}")
        if key != key.lower() or not isinstance(record, self.record_type):  # pragma: no cover
            raise RuntimeError(f"{self.kind} {key!r}: ids are lower case and records are {self.record_type.__name__}")
        self[key] = record
        return record

    def lookup(self, item: object) -> R:
        """The record for ``item``: a record of this kind as it is, or its id (any case)."""
        if isinstance(item, self.record_type):
            return item
        if not isinstance(item, str):
            raise InputError(
                f"{self.argument}: expected a {self.record_type.__name__} or its id (a str), got {type(item).__name__}"
            )
        key = item.lower()
        if key in self:
            return self[key]
        close = sorted(k for k in self if key in k)[:8]
        if close:
            hint = f"; similar ids: {', '.join(close)}"
        elif len(self) <= 12:
            hint = f"; known: {', '.join(self)}"
        else:
            hint = ""
        raise InputError(f"{self.argument}: unknown {self.kind} {item!r}{hint}")
