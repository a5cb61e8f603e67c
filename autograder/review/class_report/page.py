"""The class report as one static HTML page (no scripts, no network).

Its Content-Security-Policy loads nothing (:mod:`autograder.common.page_policy`): the figures are
embedded as ``data:`` URIs, and every text from results.json (file names, statuses) is escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

from autograder.common.page_policy import csp_meta, data_uri

STYLE = """
body{font-family:system-ui,sans-serif;max-width:62rem;margin:0 auto;padding:1rem 1.5rem 3rem;line-height:1.45;color:#1d1d1d}
h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0} th,td{border:1px solid #ccc;padding:.2rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left} td.text{text-align:left}
tr.flag td{background:#fdecea} .flags{color:#a52a1a}
img{max-width:100%;height:auto}
"""


def _fmt(x, digits=2) -> str:
    return "n/a" if x is None or x != x else f"{x:.{digits}f}"


def page_html(stats: dict, images: list[tuple[str, str]], folder: Path | None = None) -> str:
    """The page; ``images`` are ``(path relative to folder, alt text)``, embedded from ``folder``."""
    esc = html.escape
    s, st = stats["summary"], stats["statuses"]
    image = dict((src.rsplit("/", 1)[-1], (src, alt)) for src, alt in images)

    def img(name: str) -> str:
        if name not in image:
            return ""
        src, alt = image[name]
        if folder is not None:  # the policy allows data: images only
            src = data_uri(Path(folder) / src)
        return f'<p><img src="{esc(src)}" alt="{esc(alt)}"></p>'

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        csp_meta(),  # no script, nothing loaded
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Class report: {esc(stats['assignment'])}</title><style>{STYLE}</style></head><body>",
        f"<h1>Class report: {esc(stats['assignment'])}</h1>",
        f"<p>{st['submissions']} submissions, {stats['graded']} graded, {st['failed']} failed. "
        f"Total points possible (autograded): {stats['possible']:g}. "
        f"Mean {_fmt(s['mean'])}, median {_fmt(s['median'])}, standard deviation {_fmt(s['std'])}.</p>",
        "<h2>Questions to rewrite</h2>",
    ]
    if stats["flagged"]:
        parts.append("<ul>")
        for item in stats["flagged"]:
            parts.append(f"<li><strong>{esc(item['question'])}</strong>: {esc('; '.join(item['flags']))}</li>")
        parts.append(
            "</ul><p>Negative discrimination: students who do well elsewhere do worse here (check the key, "
            "the wording, the test). A distractor nobody picks does not test anything.</p>"
        )
    elif stats["too_few_to_flag"]:
        parts.append(
            f"<p>None flagged: {stats['graded']} graded submissions are too few to judge a question "
            "(discrimination and unpicked options need at least 20).</p>"
        )
    else:
        parts.append("<p>None: every question discriminates non-negatively and every distractor was picked.</p>")
    parts += ["<h2>Score distribution</h2>", img("score_distribution.png")]
    parts += [
        "<h2>Questions: difficulty and discrimination</h2>",
        "<p>Difficulty is the share of graded submissions with full points; discrimination is the item-rest "
        "correlation (the question's score against the total of the other questions).</p>",
        "<p>Questions in the notebook's order; # labels them in the figure below.</p>",
        "<table><tr><th>#</th><th>question</th><th>points</th><th>share with full points</th>"
        "<th>mean share of points</th><th>item-rest r</th><th>flags</th></tr>",
    ]
    for number, item in enumerate(stats["items"], start=1):
        cls = ' class="flag"' if item["flags"] else ""
        parts.append(
            f'<tr{cls}><td>{number}</td><td class="text">{esc(item["question"])}</td><td>{item["points"]:g}</td>'
            f"<td>{_fmt(item['share_correct'])}</td>"
            f"<td>{_fmt(item['mean_share'])}</td><td>{_fmt(item['discrimination'])}</td>"
            f'<td class="text flags">{esc("; ".join(item["flags"]))}</td></tr>'
        )
    parts += ["</table>", img("questions.png")]
    parts.append("<h2>Multiple-choice answers</h2>")
    if stats["distractors"]:
        parts.append(
            "<p>How many graded submissions picked each option. The key is the option that earned full "
            "points; <em>other</em> counts answers that are not one of the options, <em>blank</em> unanswered.</p>"
        )
        parts.append(
            "<table><tr><th>question</th><th>key</th><th>counts per option</th><th>other</th><th>blank</th><th>picked by nobody</th></tr>"
        )
        for d in stats["distractors"]:
            counts = ", ".join(f"{c}: {n}" for c, n in d["counts"].items())
            cls = ' class="flag"' if d["unused"] else ""
            parts.append(
                f'<tr{cls}><td>{esc(d["question"])}</td><td>{esc(d["key"] or "?")}</td><td class="text">{esc(counts)}</td>'
                f'<td>{d["other"]}</td><td>{d["blank"]}</td><td class="text">{esc(", ".join(d["unused"]) or "-")}</td></tr>'
            )
        parts += ["</table>", img("distractors.png")]
        named = [d for d in stats["distractors"] if d.get("misconceptions")]
        if named:  # the counts read as wrong beliefs (the master's item fences)
            parts.append(
                "<h3>Misconceptions</h3><p>How many graded submissions picked each distractor, named by the "
                "belief it follows from and the section that corrects it.</p>"
                "<table><tr><th>question</th><th>option</th><th>picked</th><th>misconception</th><th>see</th></tr>"
            )
            for d in named:
                for mc in d["misconceptions"]:
                    parts.append(
                        f"<tr><td>{esc(d['question'])}</td><td>{esc(mc['letter'])}</td><td>{mc['count']}</td>"
                        f'<td class="text">{esc(mc["misconception"])}</td><td class="text">{esc(mc["section"])}</td></tr>'
                    )
            parts.append("</table>")
    else:
        parts.append("<p>No multiple-choice questions (answers that are single letters) in this assignment.</p>")
    parts += [
        "<h2>Statuses</h2><table>",
        f"<tr><td>graded with nothing to note</td><td>{st['submissions'] - st['failed'] - st['completed_with_notes']}</td></tr>",
        f"<tr><td>graded, with notes</td><td>{st['completed_with_notes']}</td></tr>",
        f"<tr><td>failed (not graded)</td><td>{st['failed']}</td></tr>",
        f"<tr><td>timed out (whole notebook or a cell)</td><td>{st['timed_out']}</td></tr>",
        f"<tr><td>with skipped cells</td><td>{st['skipped_cells']}</td></tr>",
        f"<tr><td>hit the memory cap</td><td>{st['memory_cap']}</td></tr>",
        "</table>",
    ]
    if st["failure_reasons"]:
        parts.append("<p>Why submissions failed:</p><table><tr><th>reason</th><th>submissions</th></tr>")
        for reason, n in st["failure_reasons"]:
            parts.append(f"<tr><td>{esc(reason)}</td><td>{n}</td></tr>")
        parts.append("</table>")
    parts.append(
        "<h2>Slowest submissions</h2><p>Seconds of every run of the notebook (a run stopped by the timeout "
        "counts in full, then the rerun without the cell that hung).</p>"
        "<table><tr><th>file</th><th>seconds</th><th>status</th></tr>"
    )
    for row in stats["slowest"]:
        parts.append(
            f'<tr><td>{esc(str(row["file"]))}</td><td>{row["seconds"]:.1f}</td><td class="text">{esc(str(row["status"]))}</td></tr>'
        )
    parts += ["</table>", "</body></html>"]
    return "\n".join(p for p in parts if p) + "\n"
