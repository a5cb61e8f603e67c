"""Tests for mlsys_lab.science.energy."""

import pytest

from mlsys_lab.science import energy as en
from mlsys_lab.units import Q_


def test_ratios():
    assert en.movement_vs_compute("fp32") == pytest.approx(172.97, abs=0.01)
    assert en.movement_vs_compute("fp16") == pytest.approx(581.82, abs=0.01)
    assert en.energy_ratio(Q_(640, "pJ"), Q_(0.0037, "nJ")) == pytest.approx(172.97, abs=0.01)


def test_workload_energy():
    w = en.workload_energy(1e6, 1e8, "fp32")
    assert w.movement.to("uJ").magnitude == pytest.approx(640)
    assert w.compute.to("uJ").magnitude == pytest.approx(370)
    assert w.movement_share == pytest.approx(640 / 1010)
    heavy = en.workload_energy(1e6, 1e9, "fp32")
    assert heavy.movement_share < w.movement_share


def test_dram_access_is_32_bits_so_160_pj_per_byte():
    # Horowitz (ISSCC 2014) as tabulated by Han et al. 2016: 640 pJ per 32-bit access
    from mlsys_lab.facts import constants as C

    assert C.DRAM_ACCESS_WIDTH.to("byte").magnitude == 4
    assert en.energy_per_byte().to("pJ/byte").magnitude == pytest.approx(160)
    assert "160" in C.CONSTANTS["dram_access_energy"].note
    assert "64-bit access is" not in C.CONSTANTS["dram_access_energy"].note


def test_movement_energy_of_a_token():
    # 140 GB of FP16 weights read once: 35 billion accesses, 22.4 J
    assert en.dram_accesses(Q_(140, "GB")) == pytest.approx(35e9)
    assert en.movement_energy(Q_(140, "GB")).to("J").magnitude == pytest.approx(22.4)
    w = en.workload_energy(en.dram_accesses(Q_(140, "GB")), 140e9, "fp16")
    assert w.movement.to("J").magnitude == pytest.approx(en.movement_energy(Q_(140, "GB")).to("J").magnitude)


def test_access_counts_reject_bad_volumes():
    from mlsys_lab.errors import InputError

    assert en.dram_accesses(12e6) == pytest.approx(3e6)  # plain numbers are bytes
    with pytest.raises(InputError, match="data_volume"):
        en.dram_accesses(Q_(1, "s"))
    with pytest.raises(InputError, match="data_volume"):
        en.movement_energy(-1)
