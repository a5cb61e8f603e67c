"""Tests for mlsys_lab.token_cost."""

import pytest

from mlsys_lab import hardware, token_cost as tc


def test_llama_70b_fp16_on_h100():
    c = tc.decode_token_cost(70e9)
    assert c.bytes_moved.to("GB").magnitude == pytest.approx(140)
    assert c.flops.to("GFLOP").magnitude == pytest.approx(140)
    assert c.memory_time.to("ms").magnitude == pytest.approx(41.79, abs=0.01)
    assert c.compute_time.to("ms").magnitude == pytest.approx(0.1416, abs=1e-4)
    assert c.ratio == pytest.approx(295.2, abs=0.05)
    assert c.bound == "memory-bound"
    assert c.arithmetic_intensity.magnitude == pytest.approx(1.0)


def test_int4_weights():
    c = tc.decode_token_cost(70e9, "int4")
    assert c.bytes_moved.to("GB").magnitude == pytest.approx(35)
    assert c.ratio == pytest.approx(73.8, abs=0.05)


def test_batching_lowers_ratio_inversely():
    sweep = tc.batch_sweep(70e9, [1, 2, 8, 64])
    ratios = [c.ratio for c in sweep]
    assert ratios == sorted(ratios, reverse=True)
    assert sweep[1].ratio == pytest.approx(sweep[0].ratio / 2)
    assert all(c.bytes_moved == sweep[0].bytes_moved for c in sweep)


def test_breakeven_batch_size_is_compute_bound():
    b = tc.breakeven_batch_size(70e9)
    assert b == 296
    assert tc.decode_token_cost(70e9, batch_size=b).bound == "compute-bound"
    assert tc.decode_token_cost(70e9, batch_size=b - 1).bound == "memory-bound"


def test_device_and_overrides():
    nano = tc.decode_token_cost(1e9, "int8", "jetson_orin_nano", compute_precision="int8")
    assert nano.memory_time.to("ms").magnitude == pytest.approx(1e9 / 68e9 * 1e3)
    override = tc.decode_token_cost(70e9, bandwidth=3350, peak_rate=989)
    assert override.ratio == pytest.approx(tc.decode_token_cost(70e9, device=hardware.H100).ratio)
