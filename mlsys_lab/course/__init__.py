"""Course machinery: answer checks, the notebook start-up, per-student variants, the ledger.

Import them by their flat names: ``from mlsys_lab.course.checks import expect_choice``,
``mlsys_lab.course.notebook.start(...)``, ``python -m mlsys_lab.course.ledger``.
"""
