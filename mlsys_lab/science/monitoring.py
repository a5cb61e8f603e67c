"""Production monitoring: the four metric families and their alert rules.

ML Workflow, §Monitoring and Maintenance, production monitoring. The DR system watches
four families of metrics, each on its own clock:

* **performance** (needs ground truth, arrives over weeks): 7-day rolling sensitivity
  (alert below 88%, target above 90%), specificity (alert below 78%, target above 80%),
  any demographic subgroup more than 5 points under its baseline;
* **proxy** (no labels needed, hours): mean prediction confidence down by more than 10%,
  referral rate moved by more than 15% from baseline, more than 20% of images rejected
  by the quality check;
* **operational** (seconds): P95 inference latency above 100 ms (target below 50 ms),
  queue depth above 50 images, more than 0.1% of requests failing;
* **data stability** (days): feature or prediction distributions leaving their expected
  range. The chapter gives no number here; the course uses its PSI bands (alert above
  0.2, warning from 0.1).

Every rule has a severity: ``"alert"`` for the chapter's thresholds and ``"warning"``
for the course's early warnings (a target missed before its alert threshold is crossed,
or moderate drift).

Metric keys understood by :func:`evaluate_alerts` (fractions as plain floats):
``sensitivity_7d``, ``specificity``, ``subgroup_sensitivity`` (mapping group -> value),
``mean_confidence``, ``referral_rate``, ``quality_rejection_rate``, ``latency_p95`` (ms or
a time quantity), ``queue_depth``, ``error_rate``, ``psi``. ``mean_confidence``,
``referral_rate`` and ``subgroup_sensitivity`` are judged against ``baselines``.
:func:`evaluate_series` runs the rules over a daily series (for example
:data:`EXAMPLE_WEEK`), deriving ``sensitivity_7d`` from daily ``sensitivity``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..errors import InputError
from ..facts import constants as C
from ..units import Number, as_float_array, as_number, as_quantity, require_count

__all__ = [
    "FAMILIES",
    "AlertRule",
    "Alert",
    "RULES",
    "METRICS",
    "evaluate_alerts",
    "evaluate_series",
    "rolling_mean",
    "EXAMPLE_WEEK",
    "EXAMPLE_BASELINES",
]

#: Metric family -> how quickly its signal arrives.
FAMILIES: dict[str, str] = {
    "performance": "weeks (needs ground-truth labels)",
    "proxy": "hours (no labels needed)",
    "operational": "seconds",
    "data_stability": "days",
}

_KINDS = ("below", "above", "at_least", "relative_drop", "relative_change", "subgroup_drop")


@dataclass(frozen=True)
class AlertRule:
    """One threshold on one metric.

    ``kind`` is "below"/"above"/"at_least" (absolute threshold), "relative_drop"/"relative_change"
    (fraction of the baseline) or "subgroup_drop" (points below each group's baseline).
    """

    id: str
    metric: str
    family: str
    kind: str
    threshold: float
    severity: str
    description: str
    source: str

    def check(self, value: Any, baseline: Any = None, day: int | None = None) -> list["Alert"]:
        """Alerts this rule raises for ``value`` (empty list when it does not fire)."""
        if self.kind == "subgroup_drop":
            return self._check_subgroups(value, baseline, day)
        v = _metric_value(self.metric, value)
        if self.kind == "below":
            fired, shown = v < self.threshold, f"{v:g} is below {self.threshold:g}"
        elif self.kind == "above":
            fired, shown = v > self.threshold, f"{v:g} is above {self.threshold:g}"
        elif self.kind == "at_least":
            fired, shown = v >= self.threshold, f"{v:g} is at or above {self.threshold:g}"
        else:
            if baseline is None:
                raise InputError(f"baselines: rule {self.id!r} needs a baseline for {self.metric!r}")
            b = _metric_value(f"baselines[{self.metric!r}]", baseline)
            if b == 0:
                raise InputError(f"baselines: baseline for {self.metric!r} must not be zero")
            change = (v - b) / b
            if self.kind == "relative_drop":
                fired = -change > self.threshold
                shown = f"{v:g} is {-change:.1%} below baseline {b:g} (limit {self.threshold:.0%})"
            else:
                fired = abs(change) > self.threshold
                shown = f"{v:g} moved {change:+.1%} from baseline {b:g} (limit {self.threshold:.0%})"
        if not fired:
            return []
        return [
            Alert(self.id, self.metric, self.family, self.severity, v, self.threshold, self._message(shown, day), day)
        ]

    def _check_subgroups(self, value: Any, baseline: Any, day: int | None) -> list["Alert"]:
        if not isinstance(value, Mapping):
            raise InputError(f"{self.metric}: expected a mapping of subgroup -> value")
        if not isinstance(baseline, Mapping):
            raise InputError(f"baselines: rule {self.id!r} needs a mapping of subgroup baselines")
        alerts = []
        for group, current in value.items():
            if group not in baseline:
                raise InputError(f"baselines: no baseline for subgroup {group!r}")
            v = as_number(current, f"{self.metric}[{group!r}]")
            b = as_number(baseline[group], f"baselines[{group!r}]")
            drop = b - v
            if drop > self.threshold + 1e-12:
                shown = (
                    f"subgroup {group!r} at {v:g} is {drop * 100:.1f} points below its "
                    f"baseline {b:g} (limit {self.threshold * 100:.0f})"
                )
                alerts.append(
                    Alert(
                        self.id,
                        f"{self.metric}[{group}]",
                        self.family,
                        self.severity,
                        v,
                        self.threshold,
                        self._message(shown, day),
                        day,
                    )
                )
        return alerts

    def _message(self, shown: str, day: int | None) -> str:
        when = f"day {day}: " if day is not None else ""
        return f"{when}[{self.severity}] {self.family}: {self.metric} {shown} - {self.description}"


@dataclass(frozen=True)
class Alert:
    """A fired rule: ``rule`` id, ``metric``, ``family``, ``severity``, the observed
    ``value``, the rule's ``threshold``, a readable ``message`` and the ``day`` (series)."""

    rule: str
    metric: str
    family: str
    severity: str
    value: float
    threshold: float
    message: str
    day: int | None = None


def _metric_value(metric: str, value: Any) -> float:
    """A latency in ms (plain number or time quantity); every other metric a ratio."""
    if metric.startswith("latency"):
        return float(as_quantity(value, "ms", metric).magnitude)
    return as_number(value, metric)


def _f(q: Any) -> float:
    return float(q.magnitude)


_MON = f"{C.CONSTANTS['alert_sensitivity_7d'].source}"
_PSI_SRC = C.CONSTANTS["psi_significant_above"].source

RULES: tuple[AlertRule, ...] = (
    AlertRule(
        "sensitivity_alert",
        "sensitivity_7d",
        "performance",
        "below",
        _f(C.ALERT_SENSITIVITY_7D),
        "alert",
        "missed referable cases; check recent clinics, cameras and subgroups",
        _MON,
    ),
    AlertRule(
        "sensitivity_target",
        "sensitivity_7d",
        "performance",
        "below",
        _f(C.DR_SENSITIVITY_TARGET),
        "warning",
        "below the 90% clinical target (course early warning)",
        "course rule built on " + _MON,
    ),
    AlertRule(
        "specificity_alert",
        "specificity",
        "performance",
        "below",
        _f(C.ALERT_SPECIFICITY),
        "alert",
        "false referrals will swamp the referral clinics",
        _MON,
    ),
    AlertRule(
        "specificity_target",
        "specificity",
        "performance",
        "below",
        _f(C.DR_SPECIFICITY_TARGET),
        "warning",
        "below the 80% clinical target (course early warning)",
        "course rule built on " + _MON,
    ),
    AlertRule(
        "subgroup_drop",
        "subgroup_sensitivity",
        "performance",
        "subgroup_drop",
        _f(C.ALERT_SUBGROUP_DROP),
        "alert",
        "a demographic group is losing accuracy that the aggregate hides",
        _MON,
    ),
    AlertRule(
        "confidence_drop",
        "mean_confidence",
        "proxy",
        "relative_drop",
        _f(C.ALERT_CONFIDENCE_DROP),
        "alert",
        "inputs look unfamiliar to the model",
        _MON,
    ),
    AlertRule(
        "referral_shift",
        "referral_rate",
        "proxy",
        "relative_change",
        _f(C.ALERT_REFERRAL_CHANGE),
        "alert",
        "prediction mix changed; possible drift or pipeline fault",
        _MON,
    ),
    AlertRule(
        "quality_rejections",
        "quality_rejection_rate",
        "proxy",
        "above",
        _f(C.ALERT_QUALITY_REJECTION),
        "alert",
        "too many images fail the quality check; inspect cameras and operators",
        _MON,
    ),
    AlertRule(
        "latency_alert",
        "latency_p95",
        "operational",
        "above",
        _f(C.ALERT_LATENCY_P95.to("ms")),
        "alert",
        "P95 latency breaks the clinical workflow budget",
        _MON,
    ),
    AlertRule(
        "latency_target",
        "latency_p95",
        "operational",
        "above",
        _f(C.LATENCY_P95_TARGET.to("ms")),
        "warning",
        "P95 latency above its 50 ms target (course early warning)",
        "course rule built on " + _MON,
    ),
    AlertRule(
        "queue_depth",
        "queue_depth",
        "operational",
        "above",
        _f(C.ALERT_QUEUE_DEPTH),
        "alert",
        "images are piling up faster than they are served",
        _MON,
    ),
    AlertRule(
        "error_rate",
        "error_rate",
        "operational",
        "above",
        _f(C.ALERT_ERROR_RATE),
        "alert",
        "requests are failing",
        _MON,
    ),
    AlertRule(
        "psi_significant",
        "psi",
        "data_stability",
        "above",
        _f(C.PSI_SIGNIFICANT_ABOVE),
        "alert",
        "significant distribution drift; consider retraining (course threshold)",
        _PSI_SRC,
    ),
    AlertRule(
        "psi_moderate",
        "psi",
        "data_stability",
        "at_least",
        _f(C.PSI_STABLE_BELOW),
        "warning",
        "moderate drift; watch the trend (course threshold)",
        _PSI_SRC,
    ),
)

#: Metric keys understood by the rules.
METRICS: tuple[str, ...] = tuple(dict.fromkeys(r.metric for r in RULES))
_BASELINE_METRICS = {r.metric for r in RULES if r.kind in {"relative_drop", "relative_change", "subgroup_drop"}}


def _dedupe(alerts: list[Alert]) -> list[Alert]:
    """Keep only the most severe alert per (metric, day): an 'alert' hides its 'warning'."""
    worst: dict[tuple[str, int | None], Alert] = {}
    for a in alerts:
        key = (a.metric, a.day)
        if key not in worst or (worst[key].severity == "warning" and a.severity == "alert"):
            worst[key] = a
    return [a for a in alerts if worst[(a.metric, a.day)] is a]


def evaluate_alerts(
    metrics: Mapping[str, Any],
    baselines: Mapping[str, Any] | None = None,
    rules: Sequence[AlertRule] | None = None,
    *,
    day: int | None = None,
) -> list[Alert]:
    """Which rules fire for one snapshot of metrics.

    ``metrics`` maps metric keys (see :data:`METRICS`) to values; missing metrics are
    simply not checked, unknown keys raise InputError (to catch typos). When a metric
    crosses both its warning and its alert threshold only the alert is returned. Alerts
    come back in rule order (performance, proxy, operational, data stability). ``rules``
    defaults to :data:`RULES`.
    """
    rules = RULES if rules is None else tuple(rules)
    if not isinstance(metrics, Mapping):
        raise InputError(f"metrics: expected a dict of metric -> value, got {type(metrics).__name__}")
    known = {r.metric for r in rules}
    unknown = [k for k in metrics if k not in known]
    if unknown:
        raise InputError(f"metrics: unknown metric {unknown[0]!r}; known: {', '.join(sorted(known))}")
    if baselines is not None and not isinstance(baselines, Mapping):
        raise InputError(f"baselines: expected a dict, got {type(baselines).__name__}")
    base = baselines or {}
    if day is not None:
        day = require_count(day, "day", minimum=0)
    fired: list[Alert] = []
    for rule in rules:
        if rule.metric not in metrics or metrics[rule.metric] is None:
            continue
        fired.extend(rule.check(metrics[rule.metric], base.get(rule.metric), day))
    return _dedupe(fired)


def rolling_mean(values: Any, window: Number = 7):
    """Trailing mean over up to ``window`` points (shorter at the start), as a numpy array."""
    import numpy as np

    arr = as_float_array(values, "values")
    w = require_count(window, "window")
    cumulative = np.concatenate([[0.0], np.cumsum(arr)])
    idx = np.arange(1, arr.size + 1)
    start = np.maximum(idx - w, 0)
    return (cumulative[idx] - cumulative[start]) / (idx - start)


def evaluate_series(
    days: Sequence[Mapping[str, Any]],
    baselines: Mapping[str, Any] | None = None,
    rules: Sequence[AlertRule] | None = None,
    *,
    window: Number = 7,
) -> list[Alert]:
    """Run the rules over a daily series of metric snapshots (day 1 is the first entry).

    A day may report daily ``sensitivity``; the 7-day rolling ``sensitivity_7d`` is then
    derived from it (a trailing mean over the days so far, at most ``window``). Returns
    every alert with its ``day`` set.
    """
    if isinstance(days, Mapping) or isinstance(days, (str, bytes)) or not hasattr(days, "__iter__"):
        raise InputError("days: expected a list of daily metric dicts")
    days = list(days)
    if not days:
        raise InputError("days: needs at least one day of metrics")
    for i, d in enumerate(days, start=1):
        if not isinstance(d, Mapping):
            raise InputError(f"days: entry {i} is not a dict of metrics")
    daily_sens = [d.get("sensitivity") for d in days]
    rolled = None
    if all(v is not None for v in daily_sens):
        rolled = rolling_mean([as_number(v, "sensitivity") for v in daily_sens], window)
    elif any(v is not None for v in daily_sens):
        raise InputError("days: 'sensitivity' must be reported on every day or on none")
    alerts: list[Alert] = []
    for i, d in enumerate(days, start=1):
        snapshot = {k: v for k, v in d.items() if k != "sensitivity"}
        if rolled is not None and "sensitivity_7d" not in snapshot:
            snapshot["sensitivity_7d"] = float(rolled[i - 1])
        alerts.extend(evaluate_alerts(snapshot, baselines, rules, day=i))
    return alerts


#: Baselines for the example week (values from the validation period).
EXAMPLE_BASELINES: dict[str, Any] = {
    "mean_confidence": 0.90,
    "referral_rate": 0.12,
    "subgroup_sensitivity": {"age_under_70": 0.93, "age_70_plus": 0.91},
}

#: A synthetic week of telemetry from one clinic: stable for three days, then a camera
#: upgrade on day 4 shifts the image distribution (course example, not chapter data).
EXAMPLE_WEEK: tuple[dict[str, Any], ...] = (
    {
        "sensitivity": 0.92,
        "specificity": 0.86,
        "mean_confidence": 0.90,
        "referral_rate": 0.12,
        "quality_rejection_rate": 0.05,
        "latency_p95": 42,
        "queue_depth": 3,
        "error_rate": 0.0002,
        "psi": 0.03,
    },
    {
        "sensitivity": 0.91,
        "specificity": 0.85,
        "mean_confidence": 0.89,
        "referral_rate": 0.12,
        "quality_rejection_rate": 0.06,
        "latency_p95": 44,
        "queue_depth": 4,
        "error_rate": 0.0003,
        "psi": 0.04,
    },
    {
        "sensitivity": 0.92,
        "specificity": 0.86,
        "mean_confidence": 0.90,
        "referral_rate": 0.13,
        "quality_rejection_rate": 0.05,
        "latency_p95": 43,
        "queue_depth": 2,
        "error_rate": 0.0002,
        "psi": 0.05,
    },
    {
        "sensitivity": 0.86,
        "specificity": 0.83,
        "mean_confidence": 0.84,
        "referral_rate": 0.14,
        "quality_rejection_rate": 0.12,
        "latency_p95": 48,
        "queue_depth": 6,
        "error_rate": 0.0004,
        "psi": 0.14,
    },
    {
        "sensitivity": 0.84,
        "specificity": 0.81,
        "mean_confidence": 0.80,
        "referral_rate": 0.15,
        "quality_rejection_rate": 0.18,
        "latency_p95": 61,
        "queue_depth": 12,
        "error_rate": 0.0006,
        "psi": 0.22,
    },
    {
        "sensitivity": 0.83,
        "specificity": 0.79,
        "mean_confidence": 0.79,
        "referral_rate": 0.16,
        "quality_rejection_rate": 0.23,
        "latency_p95": 75,
        "queue_depth": 35,
        "error_rate": 0.0009,
        "psi": 0.27,
        "subgroup_sensitivity": {"age_under_70": 0.86, "age_70_plus": 0.80},
    },
    {
        "sensitivity": 0.82,
        "specificity": 0.77,
        "mean_confidence": 0.78,
        "referral_rate": 0.17,
        "quality_rejection_rate": 0.25,
        "latency_p95": 104,
        "queue_depth": 58,
        "error_rate": 0.0015,
        "psi": 0.31,
        "subgroup_sensitivity": {"age_under_70": 0.85, "age_70_plus": 0.78},
    },
)
