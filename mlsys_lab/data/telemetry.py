"""Synthetic clinic telemetry: one week of a DR screening hub around a camera upgrade.

Follows *ML Workflow*, §Monitoring and Maintenance: six months after launch a clinic
installs new fundus cameras; the photographs are sharper and coloured differently, nothing
in the code changes, and the model's sensitivity at that site falls by about 8 %. This
module simulates such a week, image by image, so that the monitoring rules of
:mod:`mlsys_lab.science.monitoring` and the drift tests of :mod:`mlsys_lab.science.drift` have realistic,
reproducible data to work on.

The model of one image (course assumptions, not chapter data):

* a disease label drawn at the hub's ``prevalence``;
* the camera that took it (old, or new with the day's ``upgraded_share``);
* a brightness feature (mean intensity on a 0-255 scale) from that camera's distribution,
  which is what the drift tests watch;
* the model's evidence ``z`` ~ Normal(+margin_pos, 1) for diseased eyes and
  Normal(-margin_neg, 1) for healthy ones, scaled into a logit by ``sharpness``; the model
  refers when the logit is positive, and its confidence is ``sigmoid(|logit|)``. On the
  old camera the margins give sensitivity Phi(1.55) = 94 % and specificity Phi(1.2) = 88 %;
  the new camera's brighter photos look healthier to the model (sensitivity about 8 %
  lower, fewer referrals) and its outputs are less sure (smaller ``sharpness``);
* a quality-check rejection, a service latency, and a rare failed request.

Each day becomes one snapshot with the keys :func:`mlsys_lab.science.monitoring.evaluate_series`
reads (``sensitivity``, ``specificity``, ``mean_confidence``, ``referral_rate``,
``quality_rejection_rate``, ``latency_p95`` in ms, ``queue_depth``, ``error_rate``, ``psi``).
In a real clinic the labels behind sensitivity and specificity arrive weeks later; the
simulation shows them on the day so that the lag of a 7-day rolling average can be seen
on its own.

Lineage (same section, footnote on data lineage): every day's inference logs of a site
carry the versions that produced them. :func:`example_lineage` is a small made-up log of
that kind and :func:`lineage_diff` is the query that replaces weeks of forensic work:
which links of the chain changed between two days at one site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import InputError
from ..science import drift, screening
from ..units import Number, positive_number, require_count, require_probability

__all__ = [
    "CameraProfile",
    "OLD_CAMERA",
    "NEW_CAMERA",
    "DEFAULT_UPGRADE",
    "ClinicWeek",
    "simulate_clinic_week",
    "camera_samples",
    "LINEAGE_FIELDS",
    "example_lineage",
    "lineage_diff",
]


@dataclass(frozen=True)
class CameraProfile:
    """How images from one camera look to the model and to the drift monitor.

    ``brightness_mean``/``brightness_sd``: the brightness feature (0-255 scale);
    ``margin_pos``/``margin_neg``: mean evidence for diseased/healthy eyes (standard
    normal units); ``sharpness``: evidence-to-logit scale (lower = less confident);
    ``quality_reject``: share of images the quality check sends back.
    """

    name: str
    brightness_mean: float
    brightness_sd: float
    margin_pos: float
    margin_neg: float
    sharpness: float
    quality_reject: float


#: The camera the model was trained and validated on (course assumption).
OLD_CAMERA = CameraProfile("old camera", 100.0, 15.0, 1.55, 1.20, 2.5, 0.05)
#: The upgraded camera: brighter, sharper photos the model has never seen (course assumption).
NEW_CAMERA = CameraProfile("new camera", 107.0, 13.0, 1.10, 1.60, 0.8, 0.09)
#: Share of the day's images from the new cameras: swapped in over days 4 to 6.
DEFAULT_UPGRADE: tuple[float, ...] = (0.0, 0.0, 0.0, 0.5, 0.75, 1.0, 1.0)


@dataclass(frozen=True)
class ClinicWeek:
    """A simulated week: ``days`` (one metric snapshot per day, for
    :func:`mlsys_lab.science.monitoring.evaluate_series`), ``baselines`` (mean confidence and
    referral rate of the validation period), the brightness of the validation period's
    images (``reference_brightness``) and of each day's images (``daily_brightness``), and
    the ``upgraded_share`` of every day."""

    days: list
    baselines: dict
    reference_brightness: Any
    daily_brightness: list
    upgraded_share: tuple


def _images(
    rng, n: int, prevalence: float, share_new: float, old: CameraProfile = OLD_CAMERA, new: CameraProfile = NEW_CAMERA
) -> dict:
    """Simulate ``n`` images; returns arrays keyed by what each image produced."""
    import numpy as np

    y = (rng.uniform(size=n) < prevalence).astype(int)
    is_new = rng.uniform(size=n) < share_new
    pick = lambda field: np.where(is_new, getattr(new, field), getattr(old, field))  # noqa: E731
    brightness = rng.normal(pick("brightness_mean"), pick("brightness_sd"))
    z = np.where(y == 1, pick("margin_pos"), -pick("margin_neg")) + rng.normal(size=n)
    logit = pick("sharpness") * z
    referred = (logit > 0).astype(int)
    confidence = 1.0 / (1.0 + np.exp(-np.abs(logit)))
    rejected = rng.uniform(size=n) < pick("quality_reject")
    return {"y": y, "referred": referred, "confidence": confidence, "brightness": brightness, "rejected": rejected}


def _rates(img: dict) -> tuple[float, float]:
    import numpy as np

    y, p = img["y"], img["referred"]
    tp = int(np.sum((y == 1) & (p == 1)))
    fn = int(np.sum((y == 1) & (p == 0)))
    tn = int(np.sum((y == 0) & (p == 0)))
    fp = int(np.sum((y == 0) & (p == 1)))
    return screening.sensitivity(tp, fn), screening.specificity(tn, fp)


def simulate_clinic_week(
    seed: Number = 7,
    images_per_day: Number = 1200,
    prevalence: Number = 0.2,
    upgraded_share: Sequence[Any] = DEFAULT_UPGRADE,
    reference_images: Number = 6000,
    latency_median_ms: Number = 30.0,
    failure_probability: Number = 0.0002,
) -> ClinicWeek:
    """Simulate one screening hub for ``len(upgraded_share)`` days (seeded).

    The validation period (``reference_images`` old-camera images) fixes the baselines and
    the reference brightness sample; each day's PSI is
    :func:`mlsys_lab.science.drift.psi_from_samples` of that day's brightness against it.
    Latencies are log-normal around ``latency_median_ms``; queue depth is the day's
    Poisson peak; each request fails with ``failure_probability``.
    """
    import numpy as np

    rng = np.random.default_rng(require_count(seed, "seed", minimum=0))
    n = require_count(images_per_day, "images_per_day", minimum=100)
    prev = require_probability(prevalence, "prevalence")
    if not 0 < prev < 1:
        raise InputError(f"prevalence: must be strictly between 0 and 1, got {prev:g}")
    if isinstance(upgraded_share, (str, bytes)) or not hasattr(upgraded_share, "__iter__"):
        raise InputError("upgraded_share: expected one share (0 to 1) per day")
    shares = tuple(require_probability(s, f"upgraded_share[{i}]") for i, s in enumerate(upgraded_share))
    if not shares:
        raise InputError("upgraded_share: needs at least one day")
    n_ref = require_count(reference_images, "reference_images", minimum=100)
    median = positive_number(latency_median_ms, "latency_median_ms")
    p_fail = require_probability(failure_probability, "failure_probability")

    reference = _images(rng, n_ref, prev, 0.0)
    baselines = {
        "mean_confidence": round(float(reference["confidence"].mean()), 3),
        "referral_rate": round(float(reference["referred"].mean()), 3),
    }
    days, daily_brightness = [], []
    for share in shares:
        img = _images(rng, n, prev, share)
        sens, spec = _rates(img)
        latency = median * np.exp(rng.normal(0.0, 0.25, n))
        days.append(
            {
                "sensitivity": round(sens, 4),
                "specificity": round(spec, 4),
                "mean_confidence": round(float(img["confidence"].mean()), 4),
                "referral_rate": round(float(img["referred"].mean()), 4),
                "quality_rejection_rate": round(float(img["rejected"].mean()), 4),
                "latency_p95": round(float(np.percentile(latency, 95)), 1),
                "queue_depth": int(rng.poisson(4)),
                "error_rate": round(float(rng.binomial(n, p_fail)) / n, 5),
                "psi": round(drift.psi_from_samples(reference["brightness"], img["brightness"]), 4),
            }
        )
        daily_brightness.append(img["brightness"])
    return ClinicWeek(
        days=days,
        baselines=baselines,
        reference_brightness=reference["brightness"],
        daily_brightness=daily_brightness,
        upgraded_share=shares,
    )


def camera_samples(n_before: Number = 2000, n_after: Number = 2000, seed: Number = 11):
    """``(before, after)``: brightness of images from the old and the new camera."""
    import numpy as np

    rng = np.random.default_rng(require_count(seed, "seed", minimum=0))
    a = require_count(n_before, "n_before")
    b = require_count(n_after, "n_after")
    before = rng.normal(OLD_CAMERA.brightness_mean, OLD_CAMERA.brightness_sd, a)
    after = rng.normal(NEW_CAMERA.brightness_mean, NEW_CAMERA.brightness_sd, b)
    return before, after


#: What a lineage record links each site's daily predictions to.
LINEAGE_FIELDS: tuple[str, ...] = (
    "model",
    "training_data",
    "preprocessing",
    "code_commit",
    "hyperparameters",
    "device",
    "camera",
)


def example_lineage(sites: Sequence[str] = ("chiang-mai-03", "lampang-01"), days: Number = 7) -> list:
    """A made-up lineage log: one record per (site, day) with the versions in
    :data:`LINEAGE_FIELDS`. Course example, not chapter data: the preprocessing pipeline
    was updated network-wide before the week began, a retrained model reached only the
    second site on day 2, and the first site's cameras were replaced from day 4."""
    n_days = require_count(days, "days")
    if isinstance(sites, (str, bytes)) or not hasattr(sites, "__iter__") or not list(sites):
        raise InputError("sites: expected a non-empty list of site names")
    records = []
    for i, site in enumerate(sites):
        for day in range(1, n_days + 1):
            records.append(
                {
                    "site": str(site),
                    "day": day,
                    "model": "dr-3.2" if (i == 0 or day < 2) else "dr-3.3",
                    "training_data": "fundus-2024-06" if (i == 0 or day < 2) else "fundus-2024-09",
                    "preprocessing": "prep-1.5",
                    "code_commit": "9f3c2e1",
                    "hyperparameters": "hp-07",
                    "device": "edge-box-r2",
                    "camera": "fundus-cam-A" if (i != 0 or day < 4) else "fundus-cam-B",
                }
            )
    return records


def lineage_diff(records: Sequence[Any], site: str, day_before: Number, day_after: Number) -> dict:
    """The lineage links that differ at ``site`` between two days:
    ``{field: (value before, value after)}``; empty when nothing in the chain changed."""
    a = require_count(day_before, "day_before")
    b = require_count(day_after, "day_after")
    if isinstance(records, (str, bytes)) or not hasattr(records, "__iter__"):
        raise InputError("records: expected a list of lineage records (dicts)")
    found = {}
    for r in records:
        if not isinstance(r, dict):
            raise InputError("records: every record must be a dict")
        if r.get("site") == site and r.get("day") in (a, b):
            found[r["day"]] = r
    for day in (a, b):
        if day not in found:
            raise InputError(f"records: no lineage record for site {site!r} on day {day}")
    return {f: (found[a][f], found[b][f]) for f in LINEAGE_FIELDS if found[a][f] != found[b][f]}
