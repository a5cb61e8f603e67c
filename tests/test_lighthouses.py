"""The five Lighthouse workloads and their roofline placement (Conclusion, §Lighthouse models)."""

import pytest

from mlsys_lab import hardware, lighthouses as L
from mlsys_lab.errors import InputError


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
    # intensity grows linearly with batch when nothing is per-sample
    i1 = L.intensity("resnet50", 1).magnitude
    assert L.intensity("resnet50", 8).magnitude == pytest.approx(8 * i1)


def test_dlrm_is_capacity_bound_and_gather_limited():
    assert L.intensity("dlrm", 1).magnitude == pytest.approx(0.25)
    assert L.intensity("dlrm", 1024).magnitude == pytest.approx(0.25)
    assert L.capacity_ratio("dlrm") > 1
    assert not L.placement("dlrm").fits


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
