"""Devices needed to hold a model (mlsys_lab.facts.hardware) and requests served before a rollback (mlsys_lab.science.rollout)."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.facts import hardware
from mlsys_lab.science import precision, rollout
from mlsys_lab.units import Q_


def test_llama_70b_fp16_needs_two_h100s():
    weights = precision.model_memory(70e9, "fp16")  # 140 GB
    assert hardware.devices_to_hold(weights, "h100") == 2


def test_int4_fits_one_h100():
    assert hardware.devices_to_hold(precision.model_memory(70e9, "int4"), hardware.H100) == 1


def test_exact_fill_needs_exactly_n_devices():
    cap = hardware.H100.memory_capacity
    assert hardware.devices_to_hold(3 * cap, "h100") == 3


def test_usable_fraction_raises_the_count():
    weights = Q_(100, "GB")
    assert hardware.devices_to_hold(weights, "h100") == 2
    assert hardware.devices_to_hold(weights, "h100", usable_fraction=0.5) == 3


def test_plain_number_is_read_in_gb():
    assert hardware.devices_to_hold(8, "mobile_npu") == 1
    assert hardware.devices_to_hold(8.5, "mobile_npu") == 2


@pytest.mark.parametrize("bad", [0, -5, Q_(3, "s")])
def test_devices_rejects_bad_sizes(bad):
    with pytest.raises(InputError, match="model_bytes"):
        hardware.devices_to_hold(bad)


@pytest.mark.parametrize("bad", [0, 1.5, -0.1, True])
def test_devices_rejects_bad_fraction(bad):
    with pytest.raises(InputError, match="usable_fraction"):
        hardware.devices_to_hold(10, usable_fraction=bad)


def test_requests_exposed_sums_delays():
    # 100 requests/s for 1 h + 0.5 h = 540,000 requests
    assert rollout.requests_exposed(100, 1, 0.5) == pytest.approx(540_000)


def test_requests_exposed_accepts_quantities():
    n = rollout.requests_exposed(Q_(6000, "1/min"), Q_(10, "min"))
    assert n == pytest.approx(60_000)


def test_requests_exposed_needs_a_delay():
    with pytest.raises(InputError, match="delays"):
        rollout.requests_exposed(10)


@pytest.mark.parametrize("rate", [0, -1, Q_(5, "GB")])
def test_requests_exposed_rejects_bad_rate(rate):
    with pytest.raises(InputError, match="request_rate"):
        rollout.requests_exposed(rate, 1)


def test_requests_exposed_rejects_negative_delay():
    with pytest.raises(InputError, match=r"delays\[1\]"):
        rollout.requests_exposed(10, 1, -2)
