"""Monitoring dashboards: the alert rules as a table, a week of telemetry, and which
metric family raised the alarm first.

Follows *ML Workflow*, §Monitoring and Maintenance, "Production monitoring": four families
of metrics (model performance, proxies, operations, data stability), each with its own
thresholds and its own clock. The rules and their evaluation come from
:mod:`mlsys_lab.science.monitoring`; this module only lays out, draws and wires sliders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..errors import InputError
from ..science import monitoring as mon
from . import alt_text, figure_or_note

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["alert_rules_table", "plot_week", "plot_alert_timeline", "alert_rules_widget"]

_FAMILY_ORDER = ("performance", "proxy", "operational", "data_stability")

#: (metric key, panel title, unit shown, scale factor for display)
_PANELS: tuple[tuple[str, str, str, float], ...] = (
    ("sensitivity_7d", "sensitivity, 7-day rolling", "%", 100),
    ("specificity", "specificity", "%", 100),
    ("mean_confidence", "mean confidence", "%", 100),
    ("referral_rate", "referral rate", "%", 100),
    ("quality_rejection_rate", "images failing quality check", "%", 100),
    ("latency_p95", "P95 latency", "ms", 1),
    ("queue_depth", "queue depth", "images", 1),
    ("error_rate", "failed requests", "%", 100),
    ("psi", "PSI of image brightness", "", 1),
)


def _describe(rule: mon.AlertRule) -> str:
    t = rule.threshold
    if rule.kind == "below":
        return f"below {t:g}"
    if rule.kind == "above":
        return f"above {t:g}"
    if rule.kind == "at_least":
        return f"{t:g} or more"
    if rule.kind == "relative_drop":
        return f"more than {t:.0%} below baseline"
    if rule.kind == "relative_change":
        return f"more than {t:.0%} away from baseline"
    return f"more than {100 * t:g} points below its baseline"


def alert_rules_table(rules: Sequence[mon.AlertRule] = mon.RULES):
    """An HTML table of the alert rules: family (and how fast its signal arrives),
    metric, condition and severity."""
    from IPython.display import HTML

    rows = []
    for r in rules:
        unit = " ms" if r.metric.startswith("latency") and r.kind in ("above", "below") else ""
        rows.append((f"{r.family} ({mon.FAMILIES[r.family]})", r.metric, _describe(r) + unit, r.severity))
    head = "".join(f"<th>{h}</th>" for h in ("family (signal arrives in)", "metric", "fires when", "severity"))
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return HTML(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _days(numbers) -> str:
    """[1, 2, 5] -> "days 1, 2 and 5"; [3] -> "day 3"."""
    numbers = [str(n) for n in sorted(set(numbers))]
    if len(numbers) == 1:
        return f"day {numbers[0]}"
    return f"days {', '.join(numbers[:-1])} and {numbers[-1]}"


def _fired_by(alerts: Sequence[mon.Alert], key: str, names: Mapping[str, str]) -> str:
    """For each name (a metric or a family, per ``key``; ``names`` maps it to how it is read
    out), the days it raised an alert, and the other days it raised a warning, as a sentence
    fragment; names that stayed quiet are left out."""
    parts = []
    for name, shown in names.items():
        mine = [a for a in alerts if getattr(a, key) == name and a.day is not None]
        alert_days = {a.day for a in mine if a.severity == "alert"}
        warning_days = {a.day for a in mine if a.severity == "warning"} - alert_days
        said = [
            f"{severity} on {_days(hit)}" for severity, hit in (("alert", alert_days), ("warning", warning_days)) if hit
        ]
        if said:
            parts.append(f"{shown}: {', '.join(said)}")
    return "; ".join(parts)


def _series(days: Sequence[Mapping[str, Any]], metric: str):
    import numpy as np

    if metric == "sensitivity_7d":
        return mon.rolling_mean([d["sensitivity"] for d in days])
    return np.array([float(d.get(metric, np.nan)) for d in days])


def _alert_lines(metric: str, baselines: Mapping[str, Any]) -> list[float]:
    """Where the metric's 'alert' rule fires, in the metric's own units (one line for an
    absolute or one-sided rule, two for a change in either direction)."""
    for r in mon.RULES:
        if r.metric != metric or r.severity != "alert":
            continue
        if r.kind in ("below", "above"):
            return [r.threshold]
        base = baselines.get(metric)
        if base is None or isinstance(base, Mapping):
            return []
        if r.kind == "relative_change":
            return [base * (1 - r.threshold), base * (1 + r.threshold)]
        return [base * (1 - r.threshold)]
    return []


@figure_or_note
def plot_week(
    days: Sequence[Mapping[str, Any]],
    baselines: Mapping[str, Any] | None = None,
    alerts: Sequence[mon.Alert] | None = None,
) -> Figure:
    """A 3 x 3 dashboard of a daily series: one panel per metric, the alert threshold as a
    dashed red line, the baseline (where one applies) dotted, and days on which the
    metric raised an alert or a warning circled in red or orange.

    ``days`` is a list of daily snapshots as for :func:`mlsys_lab.science.monitoring.evaluate_series`
    (with daily ``sensitivity``); ``alerts`` defaults to that function's result.
    """
    import numpy as np
    from matplotlib.figure import Figure

    if isinstance(days, Mapping) or not days:
        raise InputError("days: expected a non-empty list of daily metric dicts")
    base = dict(baselines or {})
    fired = mon.evaluate_series(days, base) if alerts is None else list(alerts)
    x = np.arange(1, len(days) + 1)
    fig = Figure(figsize=(10.0, 7.0))  # fixed margins: constrained layout is slow on 9 panels
    axes = fig.subplots(
        3, 3, sharex=True, gridspec_kw=dict(left=0.07, right=0.99, bottom=0.07, top=0.88, hspace=0.55, wspace=0.3)
    )
    for ax, (metric, title, unit, scale) in zip(axes.ravel(), _PANELS):
        y = _series(days, metric)
        ax.plot(x, scale * y, "o-", color="C0", markersize=4)
        for line in _alert_lines(metric, base):
            ax.axhline(scale * line, color="C3", linestyle="--", linewidth=1)
        if metric in base and not isinstance(base[metric], Mapping):
            ax.axhline(scale * float(base[metric]), color="0.5", linestyle=":", linewidth=1)
        for severity, color in (("warning", "C1"), ("alert", "C3")):
            hit = sorted({a.day for a in fired if a.metric == metric and a.severity == severity})
            if hit:
                ax.plot(
                    hit,
                    scale * y[np.array(hit) - 1],
                    "o",
                    markersize=11,
                    markerfacecolor="none",
                    markeredgecolor=color,
                    markeredgewidth=1.5,
                )
        family = next(r.family for r in mon.RULES if r.metric == metric)
        ax.set_title(f"{title}\n[{family}]", fontsize=9)
        ax.set_ylabel(unit)
        ax.set_xticks(x)
    for ax in axes[-1]:
        ax.set_xlabel("day")
    fig.suptitle(
        "One week of telemetry (dashed red: alert threshold; dotted: baseline; circles: warning/alert)", fontsize=10
    )
    titles = {metric: title for metric, title, _, _ in _PANELS}
    fired_text = _fired_by(fired, "metric", titles)
    return alt_text(
        fig,
        f"Dashboard of {len(_PANELS)} small line charts, one per monitored metric, each plotted against day 1 "
        f"to {len(days)}: " + "; ".join(titles.values()) + ". Each chart shows its "
        "alert threshold as a dashed line and its baseline, where it has one, as a dotted line; days "
        "that raised a warning or an alert are circled. "
        + (f"Circled: {fired_text}." if fired_text else "No rule fired on any day."),
    )


@figure_or_note
def plot_alert_timeline(alerts: Sequence[mon.Alert], days: int = 7) -> Figure:
    """A grid of metric family (rows) by day (columns): red where the family raised an
    alert that day, orange where only a warning, blank where it stayed quiet."""
    import numpy as np
    from matplotlib.figure import Figure

    if days < 1:
        raise InputError(f"days: must be at least 1, got {days}")
    grid = np.zeros((len(_FAMILY_ORDER), days))
    for a in alerts:
        if a.day is None or not 1 <= a.day <= days:
            continue
        row = _FAMILY_ORDER.index(a.family)
        grid[row, a.day - 1] = max(grid[row, a.day - 1], 2 if a.severity == "alert" else 1)
    from matplotlib.colors import ListedColormap

    fig = Figure(figsize=(7.0, 2.8), layout="constrained")
    ax = fig.subplots()
    cmap = ListedColormap(["#f4f4f4", "#f5a623", "#d62728"])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=2, aspect="auto")
    ax.set_yticks(range(len(_FAMILY_ORDER)), [f"{f} ({mon.FAMILIES[f].split(' (')[0]})" for f in _FAMILY_ORDER])
    ax.set_xticks(range(days), [str(d) for d in range(1, days + 1)])
    ax.set_xlabel("day")
    ax.grid(False)
    ax.set_xticks(np.arange(-0.5, days, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, len(_FAMILY_ORDER), 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    ax.set_title("Which family spoke up, and when (orange: warning, red: alert)")
    shown = [a for a in alerts if a.day is not None and 1 <= a.day <= days]
    fired_text = _fired_by(shown, "family", {f: f for f in _FAMILY_ORDER})
    quiet = [f for f in _FAMILY_ORDER if not any(a.family == f for a in shown)]
    text = (
        f"Grid of the {len(_FAMILY_ORDER)} metric families (rows) by day 1 to {days} (columns); a cell "
        "is red when the family raised an alert that day, orange for a warning only, blank when quiet. "
    )
    if shown:
        first = min(a.day for a in shown)
        leaders = sorted({a.family for a in shown if a.day == first}, key=_FAMILY_ORDER.index)
        text += f"By family: {fired_text}. First to speak up: {' and '.join(leaders)}, on day {first}."
    else:
        text += "Every family stayed quiet."
    if shown and quiet:
        text += f" Quiet all along: {', '.join(quiet)}."
    return alt_text(fig, text)


def alert_rules_widget(
    sensitivity_7d: float = 0.91,
    mean_confidence: float = 0.88,
    referral_rate: float = 0.12,
    quality_rejection_rate: float = 0.06,
    latency_p95_ms: float = 45.0,
    error_rate_percent: float = 0.02,
    psi: float = 0.05,
    baseline_confidence: float = 0.90,
    baseline_referral: float = 0.12,
):
    """Sliders for one day's metrics; prints every alert and warning that
    :func:`mlsys_lab.science.monitoring.evaluate_alerts` raises for them. Works once, statically, too.
    """
    import ipywidgets as widgets

    def show(
        sensitivity_7d,
        mean_confidence,
        referral_rate,
        quality_rejection_rate,
        latency_p95_ms,
        error_rate_percent,
        psi,
        baseline_confidence,
        baseline_referral,
    ):
        metrics = {
            "sensitivity_7d": sensitivity_7d,
            "mean_confidence": mean_confidence,
            "referral_rate": referral_rate,
            "quality_rejection_rate": quality_rejection_rate,
            "latency_p95": latency_p95_ms,
            "error_rate": error_rate_percent / 100,
            "psi": psi,
        }
        baselines = {"mean_confidence": baseline_confidence, "referral_rate": baseline_referral}
        fired = mon.evaluate_alerts(metrics, baselines)
        if not fired:
            print("all quiet: no rule fires")
        for a in fired:
            print(a.message)

    style = {"description_width": "initial"}
    pct = dict(min=0.5, max=1.0, step=0.005, readout_format=".3f", style=style)
    return widgets.interactive(
        show,
        sensitivity_7d=widgets.FloatSlider(value=sensitivity_7d, description="sensitivity (7-day)", **pct),
        mean_confidence=widgets.FloatSlider(value=mean_confidence, description="mean confidence", **pct),
        referral_rate=widgets.FloatSlider(
            value=referral_rate,
            min=0.0,
            max=0.5,
            step=0.005,
            readout_format=".3f",
            description="referral rate",
            style=style,
        ),
        quality_rejection_rate=widgets.FloatSlider(
            value=quality_rejection_rate, min=0.0, max=0.5, step=0.01, description="quality rejections", style=style
        ),
        latency_p95_ms=widgets.FloatSlider(
            value=latency_p95_ms, min=10, max=200, step=1, description="P95 latency (ms)", style=style
        ),
        error_rate_percent=widgets.FloatSlider(
            value=error_rate_percent, min=0.0, max=1.0, step=0.01, description="failed requests (%)", style=style
        ),
        psi=widgets.FloatSlider(value=psi, min=0.0, max=0.5, step=0.01, description="PSI", style=style),
        baseline_confidence=widgets.FloatSlider(value=baseline_confidence, description="baseline confidence", **pct),
        baseline_referral=widgets.FloatSlider(
            value=baseline_referral,
            min=0.01,
            max=0.5,
            step=0.005,
            readout_format=".3f",
            description="baseline referral rate",
            style=style,
        ),
    )
