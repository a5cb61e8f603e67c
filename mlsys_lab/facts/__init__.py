"""Sourced records: the chapters' constants, the reference devices and the Lighthouse workloads.

Each record carries its ``source`` and ``note`` (:class:`~mlsys_lab.facts.records.Sourced`) and
sits in one :class:`~mlsys_lab.facts.records.Registry` (``CONSTANTS``, ``DEVICES``,
``LIGHTHOUSES``). Import them by their flat names: ``mlsys_lab.facts.constants``,
``mlsys_lab.facts.hardware``, ``mlsys_lab.facts.lighthouses``.
"""
