"""Tests for mlsys_lab.facts.hardware."""

import dataclasses

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.facts import hardware as hw


def test_devices_registry():
    assert set(hw.DEVICES) == {
        "h100",
        "jetson_orin_nano",
        "jetson_orin_nx",
        "jetson_orin_agx",
        "mobile_npu",
        "microcontroller",
    }
    for dev in hw.DEVICES.values():
        assert dev.source and dev.note
        assert dev.memory_bandwidth.to("GB/s").magnitude > 0
        assert dev.memory_capacity.to("byte").magnitude > 0
        assert dev.power.to("W").magnitude > 0
        for rate in dev.peak_flops.values():
            assert rate.to("FLOP/s").magnitude > 0


def test_h100_figures():
    assert hw.H100.peak("fp16").to("TFLOP/s").magnitude == 989
    assert hw.H100.memory_bandwidth.to("TB/s").magnitude == 3.35
    assert hw.H100.power.to("W").magnitude == 700
    assert hw.H100.ridge_point("fp16").magnitude == pytest.approx(295.22, rel=1e-4)
    assert hw.H100.ridge_point("FP16") == hw.H100.ridge_point("fp16")


def test_mobile_npu_ratios():
    r = hw.compare_devices("h100", "mobile_npu", "int8")
    assert r.peak == pytest.approx(56.5, abs=0.05)
    assert r.memory_capacity == pytest.approx(10.7, abs=0.05)
    assert r.power == pytest.approx(233.3, abs=0.05)


def test_jetson_ordering_and_power():
    nano, nx, agx = hw.JETSON_ORIN_NANO, hw.JETSON_ORIN_NX, hw.JETSON_ORIN_AGX
    assert nano.peak("int8") < nx.peak("int8") < agx.peak("int8")
    assert nano.power.to("W").magnitude == 15
    assert agx.power.to("W").magnitude == 60


def test_microcontroller_sram_and_note():
    assert hw.MICROCONTROLLER.memory_capacity.to("KiB").magnitude == 256
    assert "512" in hw.MICROCONTROLLER.note


def test_device_is_frozen_and_errors():
    with pytest.raises(dataclasses.FrozenInstanceError):
        hw.H100.name = "x"
    with pytest.raises(InputError, match="precision:"):
        hw.MOBILE_NPU.peak("fp64")
    with pytest.raises(InputError, match="device:"):
        hw.get_device("tpu")
    with pytest.raises(InputError, match="device:"):
        hw.get_device(3)
