"""Tests for mlsys_lab.science.bandwidth."""

import pytest

from mlsys_lab.science import bandwidth as bw
from mlsys_lab.units import Q_


def test_daily_volume_and_upload():
    v = bw.daily_data_volume(150, 10, 5)
    assert v.to("GB").magnitude == pytest.approx(7.5)
    t = bw.upload_time(v, Q_(2, "Mb/s"))
    assert t.to("s").magnitude == pytest.approx(30_000)
    assert t.to("hour").magnitude == pytest.approx(8.333, abs=1e-3)
    assert bw.share_of_day(t) == pytest.approx(1.0417, abs=1e-4)


def test_bits_vs_bytes_matter():
    # 2 MB/s (bytes) is 8x faster than 2 Mb/s (bits)
    slow = bw.upload_time(7500, Q_(2, "Mb/s"))
    fast = bw.upload_time(7500, Q_(2, "MB/s"))
    assert (slow / fast).to("dimensionless").magnitude == pytest.approx(8)


def test_summary_reduction():
    assert bw.edge_summary_reduction() == pytest.approx(5000)
    assert bw.edge_summary_reduction(10, 5, Q_(10, "KiB")) == pytest.approx(5e7 / 10240)


def test_weekly_ingest():
    cmp = bw.compare_ingest()
    assert cmp.raw.to("GB").magnitude == pytest.approx(1250)
    assert cmp.hybrid.to("GB").magnitude == pytest.approx(127.5)
    assert cmp.reduction == pytest.approx(9.80, abs=0.01)
    assert bw.hybrid_ingest_volume(1000, 50, 25, 0).to("MB").magnitude == pytest.approx(50)


def test_clinic_report_and_monotonicity():
    r = bw.clinic_bandwidth()
    assert r.uplink_rate.to("MB/s").magnitude == pytest.approx(0.25)
    assert r.reduction == pytest.approx(5000)
    faster = bw.clinic_bandwidth(uplink=Q_(20, "Mb/s"))
    assert faster.share_of_day == pytest.approx(r.share_of_day / 10)
    busier = bw.clinic_bandwidth(patients=300)
    assert busier.upload_time > r.upload_time
