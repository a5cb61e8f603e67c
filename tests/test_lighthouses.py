"""The five Lighthouse workloads and their roofline placement (Conclusion, §Lighthouse models)."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.facts import hardware
from mlsys_lab.facts import lighthouses as L


def test_five_workloads():
    assert list(L.LIGHTHOUSES) == ["resnet50", "llama", "mobilenetv2", "dlrm", "kws"]
    for w in L.LIGHTHOUSES.values():
        assert w.source and w.regime
        hardware.get_device(w.home_device)


def test_llama_decode_intensity_is_one_flop_per_byte():
    # 2P operations on 2P bytes of FP16 weights (Conclusion, Napkin Math 1.1)
    assert L.intensity("llama", 1).to("FLOP/byte").magnitude == pytest.approx(1.0)
    assert L.placement("llama").bound == "memory-bound"


def test_resnet_batching_crosses_the_h100_ridge():
    assert L.placement("resnet50", batch_size=1).bound == "memory-bound"
    assert L.placement("resnet50", batch_size=128).bound == "compute-bound"
    # activations are per image, so batching raises intensity towards a ceiling, not forever
    i1, i128 = (L.intensity("resnet50", b).to("FLOP/byte").magnitude for b in (1, 128))
    assert 100 < i1 < 120 and 340 < i128 < 370
    ceiling = (
        (L.LIGHTHOUSES["resnet50"].ops_per_sample / L.LIGHTHOUSES["resnet50"].per_sample_bytes)
        .to("FLOP/byte")
        .magnitude
    )
    assert L.intensity("resnet50", 10**6).to("FLOP/byte").magnitude == pytest.approx(ceiling, rel=1e-3)
    assert ceiling < 400  # not the 20,500 FLOP/byte of a weights-only count


def test_activation_counts_follow_the_layer_tables():
    assert L.resnet50_activation_values() == pytest.approx(11.3e6, rel=0.01)
    assert L.mobilenetv2_activation_values() == pytest.approx(6.7e6, rel=0.01)
    assert L.dscnn_activation_values() == 25 * 5 * 172 * 9
    # a quarter of the pixels at half the resolution
    assert L.resnet50_activation_values(112) < L.resnet50_activation_values() / 3
    with pytest.raises(InputError, match="resolution"):
        L.resnet50_activation_values(0)


def test_dlrm_is_capacity_bound_and_gather_limited():
    # one add per gathered FP16 value: 0.5 FLOP/byte at any batch
    assert L.intensity("dlrm", 1).magnitude == pytest.approx(0.5)
    assert L.intensity("dlrm", 1024).magnitude == pytest.approx(0.5)
    # terabyte-scale tables: about a dozen H100s just to hold them
    assert L.LIGHTHOUSES["dlrm"].model_bytes.to("TB").magnitude == pytest.approx(1.0)
    assert 11 < L.capacity_ratio("dlrm") < 12.5
    assert not L.placement("dlrm").fits


def test_dlrm_is_placed_against_the_fp16_ridge_it_is_drawn_on():
    p = L.placement("dlrm")
    assert p.ridge.magnitude == pytest.approx(hardware.H100.ridge_point("fp16").magnitude)


def test_kws_fits_the_microcontroller_and_is_compute_bound():
    p = L.placement("kws")
    assert p.fits and p.bound == "compute-bound"
    assert L.capacity_ratio("kws") < 1


def test_mobilenet_on_npu_uses_int8_rate():
    p = L.placement("mobilenetv2")
    ridge = hardware.MOBILE_NPU.ridge_point("int8")
    assert p.ridge.magnitude == pytest.approx(ridge.magnitude)
    assert p.bound == "memory-bound"


def test_device_without_the_precision_falls_back():
    p = L.placement("resnet50", device="mobile_npu", batch_size=1)
    assert p.ridge.magnitude == pytest.approx(hardware.MOBILE_NPU.ridge_point("int8").magnitude)


def test_rejects_unknown_and_bad_batch():
    with pytest.raises(InputError, match="workload"):
        L.intensity("bert")
    with pytest.raises(InputError, match="batch_size"):
        L.intensity("resnet50", 0)


def test_iron_law_reproduces_the_token_napkin_math():
    r = L.iron_law("llama")
    assert r.data_time.to("ms").magnitude == pytest.approx(41.79, rel=1e-3)
    assert r.compute_time.to("ms").magnitude == pytest.approx(0.1416, rel=1e-3)
    assert r.dominant == "data movement"
    assert L.iron_law("resnet50", efficiency=0.5).dominant == "compute"
    assert L.iron_law("mobilenetv2", efficiency=0.3, overhead=1.0).dominant == "overhead"


def test_int8_rates_are_labelled_tops():
    # integer rates print as TOPS, floating-point rates as TFLOP/s; both compare directly
    assert f"{hardware.H100.peak('int8'):~P}".endswith("TOPS")
    assert f"{hardware.MOBILE_NPU.peak('int8'):~P}".endswith("TOPS")
    assert f"{hardware.H100.peak('fp16'):~P}".endswith("TFLOP/s")
    assert hardware.H100.peak("int8").to("TFLOP/s").magnitude == pytest.approx(1979)
