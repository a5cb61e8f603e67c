"""The figure ledger's rows (ML Workflow and Conclusion), one TOML file per chapter, and their engine.

``ml_workflow.toml`` and ``conclusion.toml`` hold one ``[[section]]`` table per chapter section
and one ``[[section.figure]]`` row per figure; :mod:`mlsys_lab.course.ledger_figures.engine`
evaluates a row, and :mod:`mlsys_lab.course.ledger` turns the rows into the ledger.
"""
