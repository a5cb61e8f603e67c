"""Tests for mlsys_lab.science.token_cost."""

import pytest

from mlsys_lab.facts import hardware
from mlsys_lab.science import token_cost as tc


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


def test_capacity_is_checked_first():
    # 140 GB of FP16 weights do not fit one H100 (80 GiB = 85.9 GB): two cards are needed
    one = tc.decode_token_cost(70e9)
    assert not one.fits
    assert one.memory_available.to("GB").magnitude == pytest.approx(85.9, abs=0.05)
    assert tc.devices_needed(70e9) == 2
    assert tc.devices_needed(70e9, "int8") == 1
    assert tc.decode_token_cost(70e9, "int8").fits
    assert tc.devices_needed(8e9, "int8") == 1


def test_two_h100s_halve_the_times_and_keep_the_ratio():
    one, two = tc.decode_token_cost(70e9), tc.decode_token_cost(70e9, devices=2)
    assert two.fits and two.devices == 2
    assert two.memory_time.to("ms").magnitude == pytest.approx(20.90, abs=0.01)
    assert two.compute_time.to("ms").magnitude == pytest.approx(one.compute_time.to("ms").magnitude / 2)
    assert two.ratio == pytest.approx(one.ratio)  # 295.2 either way
    assert tc.breakeven_batch_size(70e9, devices=2) == tc.breakeven_batch_size(70e9)


def test_int8_on_one_card_matches_fp16_on_two():
    # the feasible comparison of the quantization trace: same latency, half the cards
    fp16_two = tc.decode_token_cost(70e9, "fp16", devices=2)
    int8_one = tc.decode_token_cost(70e9, "int8", devices=1)
    int8_two = tc.decode_token_cost(70e9, "int8", devices=2)
    assert int8_one.memory_time.magnitude == pytest.approx(fp16_two.memory_time.magnitude)
    assert int8_two.memory_time.magnitude == pytest.approx(fp16_two.memory_time.magnitude / 2)


def test_rejects_bad_device_count():
    from mlsys_lab.errors import InputError

    with pytest.raises(InputError, match="devices"):
        tc.decode_token_cost(70e9, devices=0)
