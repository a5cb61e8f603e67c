"""The grading sheet of one written question: a self-contained HTML page.

The page shows the question, the rubric (the master's solution text), then every answer under
an anonymous code with a score field and a comment field. Similar answers are shown side by
side at the top. Everything runs in the browser with no server and no network: scores are
kept in the browser's local storage while grading, and the *Download scores* button saves
``scores_<question>.csv`` (``question,code,score,comment``), the file ``import-scores`` reads.
"""

from __future__ import annotations

import html
import json

from autograder.common.page_policy import csp_meta, inert_markdown
from autograder.review.written.master import WrittenQuestion


def markdown_html(text: str) -> str:
    """Markdown to HTML with raw HTML disabled (the question and rubric: the instructor's text)."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # markdown-it-py comes with jupytext; plain text if it is absent
        return f'<div class="plain">{html.escape(text)}</div>'
    return MarkdownIt("commonmark", {"html": False}).render(text)


STYLE = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:0 auto;padding:1rem 1.5rem 5rem;line-height:1.45;color:#1d1d1d}
h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
.box{background:#f6f6f4;border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem}
.answer{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.answer.flagged{border-color:#b5651d;border-width:2px}
.code{font-family:monospace;font-weight:bold}
.flag{color:#8a4500;font-size:.9rem}
.blank{color:#666;font-style:italic}
.plain{white-space:pre-wrap}
.group{display:flex;gap:1rem;overflow-x:auto;margin:1rem 0;padding-bottom:.5rem;border-bottom:1px dashed #b5651d}
.group>div{flex:1 1 0;min-width:16rem;border:1px solid #b5651d;border-radius:6px;padding:.5rem}
.score{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
.score input[type=number]{width:5rem}
.score input[type=text]{flex:1;min-width:12rem}
input.bad{outline:3px solid #c00}
#bar{position:fixed;bottom:0;left:0;right:0;background:#fff;border-top:1px solid #999;padding:.5rem 1.5rem;display:flex;gap:1rem;align-items:center}
"""

SCRIPT = """
const META = JSON.parse(document.getElementById('meta').textContent);
const KEY = 'mlsys-lab-scores:' + META.sheet;
const saved = JSON.parse(localStorage.getItem(KEY) || '{}');
const rows = [...document.querySelectorAll('.answer')];
function valid(input) {
  if (input.value.trim() === '') return true;
  const x = Number(input.value);
  return Number.isFinite(x) && x >= 0 && x <= META.points;
}
function update() {
  let done = 0, bad = 0; const store = {};
  for (const row of rows) {
    const s = row.querySelector('input[type=number]'), c = row.querySelector('input[type=text]');
    const ok = valid(s); s.classList.toggle('bad', !ok);
    if (!ok) bad++; else if (s.value.trim() !== '') done++;
    store[row.dataset.code] = [s.value, c.value];
  }
  localStorage.setItem(KEY, JSON.stringify(store));
  document.getElementById('count').textContent =
    `${done} of ${rows.length} scored` + (bad ? `, ${bad} out of range (0 to ${META.points})` : '');
}
for (const row of rows) {
  const s = row.querySelector('input[type=number]'), c = row.querySelector('input[type=text]');
  if (saved[row.dataset.code]) { [s.value, c.value] = saved[row.dataset.code]; }
  s.addEventListener('input', update); c.addEventListener('input', update);
}
function cell(v) {  // a formula-looking text gets a leading ' (autograder/common/csv_cells.py)
  v = String(v);
  if (/^[=+\\-@\\t\\r']/.test(v) && !/^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?$/.test(v)) v = "'" + v;
  return /[",\\n\\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; }
document.getElementById('download').addEventListener('click', () => {
  update();
  if (document.querySelector('input.bad') && !confirm('Some scores are out of range; import-scores will refuse them. Download anyway?')) return;
  const lines = ['question,code,score,comment'];
  for (const row of rows) {
    const s = row.querySelector('input[type=number]').value.trim(), c = row.querySelector('input[type=text]').value;
    lines.push([META.question, row.dataset.code, s, c].map(cell).join(','));
  }
  const blob = new Blob([lines.join('\\n') + '\\n'], {type: 'text/csv'});
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob); a.download = 'scores_' + META.question + '.csv';
  document.body.appendChild(a); a.click(); a.remove();
});
update();
"""


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def sheet_html(
    assignment: str, question: WrittenQuestion, answers: list[dict], groups: list[list[str]], sheet_id: str
) -> str:
    """``answers``: dicts with ``code``, ``text``, ``note`` (why it is blank, or ""),
    ``similar`` ([(code, similarity)]) and ``score`` (prefilled value or "")."""
    esc = html.escape
    by_code = {a["code"]: a for a in answers}
    blank = sum(1 for a in answers if not a["text"])
    meta = {"sheet": sheet_id, "question": question.name, "points": question.points}
    meta_json = json.dumps(meta).replace("</", "<\\/")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        csp_meta((SCRIPT,)),  # loads nothing, runs only SCRIPT
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(assignment)} {esc(question.name)}: written answers</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{esc(assignment)}, {esc(question.name)} ({_number(question.points)} points): written answers</h1>",
        f"<p>{len(answers)} submissions, {blank} with no answer, "
        f"{sum(len(g) for g in groups)} answers in {len(groups)} group(s) of similar answers. "
        "Codes are anonymous; <code>import-scores</code> maps them back to files.</p>",
        '<h2>Question</h2><div class="box">',
        markdown_html(question.prompt),
        '</div><h2>Rubric</h2><div class="box">',
        markdown_html(question.rubric or "(the master has no rubric for this question)"),
        "</div>",
    ]
    if groups:
        parts.append("<h2>Identical or near-identical answers</h2>")
        parts.append("<p>Each row is one group, side by side. Score them below like any other answer.</p>")
        for group in groups:
            parts.append('<div class="group">')
            for code in group:
                a = by_code[code]
                parts.append(
                    f'<div><a class="code" href="#{esc(code)}">{esc(code)}</a>{inert_markdown(a["text"])}</div>'
                )
            parts.append("</div>")
    parts.append("<h2>Answers</h2>")
    for a in answers:
        flagged = " flagged" if a["similar"] else ""
        parts.append(f'<div class="answer{flagged}" id="{esc(a["code"])}" data-code="{esc(a["code"])}">')
        parts.append(f'<div class="code">{esc(a["code"])}</div>')
        if a["similar"]:
            shown = ", ".join(
                f'<a href="#{esc(c)}">{esc(c)}</a> ({"identical" if s >= 1 else f"{s:.0%} alike"})'
                for c, s in a["similar"]
            )
            parts.append(f'<div class="flag">similar to {shown}</div>')
        if a["text"]:
            parts.append(inert_markdown(a["text"]))
        else:
            parts.append(f'<p class="blank">{esc(a["note"] or "no answer")}</p>')
        parts.append(
            '<div class="score"><label>score <input type="number" min="0" '
            f'max="{_number(question.points)}" step="any" value="{esc(str(a["score"]))}"> / {_number(question.points)}</label>'
            '<label style="flex:1;display:flex;gap:.5rem">comment <input type="text"></label></div></div>'
        )
    parts += [
        '<div id="bar"><button id="download" type="button">Download scores (CSV)</button><span id="count"></span>'
        "<span>Scores are kept in this browser until you download them.</span></div>",
        f'<script type="application/json" id="meta">{meta_json}</script>',
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
