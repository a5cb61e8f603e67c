"""Tables for stage interface contracts and hand-off audits.

Follows *ML Workflow*, §Lifecycle Stages, "Stage interface specification" and Example 1.1
(auditing stage transitions). The contracts and the audit verdicts come from
:mod:`mlsys_lab.science.contracts`; this module only lays them out as HTML tables.
"""

from __future__ import annotations

from html import escape

from ..science import contracts as ct

__all__ = ["contracts_table", "audit_table"]

_STYLE = "border-collapse:collapse;font-size:0.9em"
_CELL = "border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top"


def _row(cells, header: bool = False) -> str:
    tag = "th" if header else "td"
    return "<tr>" + "".join(f'<{tag} style="{_CELL}">{c}</{tag}>' for c in cells) + "</tr>"


def _items(items) -> str:
    return "<br>".join(escape(i) for i in items)


def contracts_table():
    """The six stages' input contract, output contract and quality invariants, as HTML."""
    from IPython.display import HTML

    rows = [_row(["stage", "receives", "must hand over", "must hold true"], header=True)]
    for number in sorted(ct.CONTRACTS):
        c = ct.CONTRACTS[number]
        rows.append(_row([f"{number}. {escape(c.name)}", _items(c.inputs), _items(c.outputs), _items(c.invariants)]))
    return HTML(f'<table style="{_STYLE}">' + "".join(rows) + "</table>")


def audit_table(result: "ct.AuditResult"):
    """One row per audited item of a :class:`mlsys_lab.science.contracts.AuditResult`, with ✓ / ✗,
    and the verdict underneath."""
    from IPython.display import HTML

    rows = [_row(["", "kind", "item", "finding"], header=True)]
    for check in result.checks:
        mark = "✓" if check.ok else "✗"
        rows.append(_row([mark, escape(check.kind), escape(check.item), escape(check.detail)]))
    verdict = "blocked" if result.blocked else "may proceed"
    caption = (
        f"<caption style='caption-side:top;text-align:left'><b>Hand-off from stage "
        f"{result.stage} ({escape(result.stage_name)})</b></caption>"
    )
    footer = f"<p><b>Verdict:</b> {verdict}; {len(result.violations)} field(s) in violation.</p>"
    return HTML(f'<table style="{_STYLE}">{caption}' + "".join(rows) + "</table>" + footer)
