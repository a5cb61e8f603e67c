"""Bandwidth against compute: can the clinic ship its images, or must it think locally?

ML Workflow, §Data Collection, Napkin Math 1.2 (bandwidth vs. compute):

* daily volume: 150 patients x 10 photos x 5 MB = 7,500 MB = 7.5 GB;
* a 2 Mb/s uplink moves 0.25 MB/s, so the upload takes 7,500 / 0.25 = 30,000 s, about 8.3 h;
* against an 8-hour clinic day that is 104.2% of the operating time;
* uploading a 10 KB detection summary per patient instead of 10 x 5 MB of photos moves
  5,000x less data.

The Data Collection self-check compares weekly ingest: 50,000 raw photos at 25 MB are
1,250 GB; 50,000 summaries at 50 KB plus a 10% raw audit sample are 2.5 + 125 = 127.5 GB,
about 10x less.

Sizes use decimal prefixes (1 MB = 10**6 bytes, 1 KB = 10**3 bytes) and link rates are in
bits per second, as in the chapter. Plain-number defaults: sizes in MB, rates in Mb/s,
operating time in hours.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import constants as C
from ..units import Number, positive_quantity, require_count, require_probability

__all__ = [
    "daily_data_volume",
    "upload_time",
    "share_of_day",
    "reduction_factor",
    "edge_summary_reduction",
    "ingest_volume",
    "hybrid_ingest_volume",
    "IngestComparison",
    "compare_ingest",
    "ClinicBandwidth",
    "clinic_bandwidth",
]


def daily_data_volume(patients: Number, photos_per_patient: Number, photo_size: Number):
    """Data produced per day: ``patients x photos_per_patient x photo_size`` (GB).

    ``photo_size`` plain numbers are MB. 150 x 10 x 5 MB = 7.5 GB.
    """
    n = require_count(patients, "patients")
    k = require_count(photos_per_patient, "photos_per_patient")
    size = positive_quantity(photo_size, "MB", "photo_size")
    return (n * k * size).to("GB")


def upload_time(volume: Number, uplink: Number):
    """Time to push ``volume`` through ``uplink``: ``volume / uplink`` (seconds).

    Plain numbers: ``volume`` in MB, ``uplink`` in Mb/s (megabits). 7,500 MB over 2 Mb/s
    takes 30,000 s.
    """
    v = positive_quantity(volume, "MB", "volume")
    bw = positive_quantity(uplink, "Mb / s", "uplink")
    return (v / bw).to("s")


def share_of_day(busy_time: Number, operating_time: Number = C.CLINIC_DAY) -> float:
    """Fraction of the operating day a task occupies (1.042 means 104.2%).

    Plain numbers are hours; the default day is the chapter's 8 hours.
    """
    t = positive_quantity(busy_time, "hour", "busy_time")
    day = positive_quantity(operating_time, "hour", "operating_time")
    return float((t / day).to("dimensionless").magnitude)


def reduction_factor(original: Number, reduced: Number) -> float:
    """How many times less data is moved: ``original / reduced`` (both data sizes, MB)."""
    a = positive_quantity(original, "MB", "original")
    b = positive_quantity(reduced, "MB", "reduced")
    return float((a / b).to("dimensionless").magnitude)


def edge_summary_reduction(
    photos_per_patient: Number = C.CLINIC_PHOTOS_PER_PATIENT,
    photo_size: Number = C.CLINIC_PHOTO_SIZE,
    summary_size: Number = C.EDGE_SUMMARY_SIZE,
) -> float:
    """Upload reduction from sending one summary per patient instead of the raw photos.

    ``photos_per_patient x photo_size / summary_size``: 10 x 5 MB / 10 KB = 5,000.
    Plain numbers: ``photo_size`` in MB, ``summary_size`` in KB.
    """
    k = require_count(photos_per_patient, "photos_per_patient")
    size = positive_quantity(photo_size, "MB", "photo_size")
    summary = positive_quantity(summary_size, "KB", "summary_size")
    return reduction_factor(k * size, summary)


def ingest_volume(items: Number, item_size: Number):
    """``items x item_size`` in GB (``item_size`` plain numbers in MB)."""
    n = require_count(items, "items")
    size = positive_quantity(item_size, "MB", "item_size")
    return (n * size).to("GB")


def hybrid_ingest_volume(items: Number, summary_size: Number, raw_size: Number, raw_fraction: Number):
    """Summaries for every item plus raw copies of a sampled fraction, in GB.

    ``items x summary_size + raw_fraction x items x raw_size``. Plain numbers:
    ``summary_size`` in KB, ``raw_size`` in MB. 50,000 x 50 KB + 10% x 50,000 x 25 MB =
    127.5 GB.
    """
    n = require_count(items, "items")
    summary = positive_quantity(summary_size, "KB", "summary_size")
    raw = positive_quantity(raw_size, "MB", "raw_size")
    f = require_probability(raw_fraction, "raw_fraction")
    return (n * summary + f * n * raw).to("GB")


@dataclass(frozen=True)
class IngestComparison:
    """Weekly ingest: ``raw`` (GB), ``hybrid`` (GB) and ``reduction`` = raw / hybrid."""

    raw: Number
    hybrid: Number
    reduction: float


def compare_ingest(
    items: Number = C.INGEST_IMAGES_PER_WEEK,
    raw_size: Number = C.INGEST_RAW_IMAGE_SIZE,
    summary_size: Number = C.INGEST_SUMMARY_SIZE,
    raw_fraction: Number = C.INGEST_RAW_SAMPLE_FRACTION,
) -> IngestComparison:
    """All-raw ingest against summaries plus a raw audit sample (defaults: the chapter's).

    ML Workflow, §Data Collection self-check: 1,250 GB against 127.5 GB, about 10x.
    """
    raw = ingest_volume(items, raw_size)
    hybrid = hybrid_ingest_volume(items, summary_size, raw_size, raw_fraction)
    return IngestComparison(raw=raw, hybrid=hybrid, reduction=reduction_factor(raw, hybrid))


@dataclass(frozen=True)
class ClinicBandwidth:
    """Napkin Math 1.2 in one record.

    ``daily_volume`` (GB), ``uplink_rate`` (MB/s), ``upload_time`` (s),
    ``upload_hours`` (h), ``share_of_day`` (fraction), ``summary_volume`` (MB per day of
    summaries) and ``reduction`` (raw / summary, float).
    """

    daily_volume: Number
    uplink_rate: Number
    upload_time: Number
    upload_hours: Number
    share_of_day: float
    summary_volume: Number
    reduction: float


def clinic_bandwidth(
    patients: Number = C.CLINIC_PATIENTS_PER_DAY,
    photos_per_patient: Number = C.CLINIC_PHOTOS_PER_PATIENT,
    photo_size: Number = C.CLINIC_PHOTO_SIZE,
    uplink: Number = C.CLINIC_UPLINK,
    operating_time: Number = C.CLINIC_DAY,
    summary_size: Number = C.EDGE_SUMMARY_SIZE,
) -> ClinicBandwidth:
    """Whole bandwidth-vs-compute calculation for one clinic (defaults: the chapter's)."""
    volume = daily_data_volume(patients, photos_per_patient, photo_size)
    bw = positive_quantity(uplink, "Mb / s", "uplink")
    t = upload_time(volume, bw)
    n = require_count(patients, "patients")
    summary = positive_quantity(summary_size, "KB", "summary_size")
    summary_total = (n * summary).to("MB")
    return ClinicBandwidth(
        daily_volume=volume,
        uplink_rate=bw.to("MB / s"),
        upload_time=t,
        upload_hours=t.to("hour"),
        share_of_day=share_of_day(t, operating_time),
        summary_volume=summary_total,
        reduction=reduction_factor(volume, summary_total),
    )
