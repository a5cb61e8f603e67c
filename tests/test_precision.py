"""Tests for mlsys_lab.science.precision."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import precision as pr
from mlsys_lab.units import Q_


def test_bytes_and_ratios():
    assert pr.bytes_per_parameter("fp32").magnitude == 4
    assert pr.bytes_per_parameter("INT4").magnitude == 0.5
    assert pr.memory_ratio("fp32", "int8") == 4
    assert pr.memory_ratio("fp16", "int8") == 2
    assert pr.memory_ratio("int8", "fp32") == 0.25


def test_model_memory():
    assert pr.model_memory(70e9, "fp16").to("GB").magnitude == pytest.approx(140)
    assert pr.model_memory(Q_(3.5e6, "dimensionless"), "int8").to("MB").magnitude == pytest.approx(3.5)


def test_mixed_precision_reduction():
    assert pr.mixed_precision_reduction() == 2.0
    assert pr.mixed_precision_reduction(0.0) == 1.0
    partial = pr.mixed_precision_reduction(0.5)
    assert 1.0 < partial < 2.0


def test_unknown_precision():
    with pytest.raises(InputError, match="precision: unknown precision"):
        pr.bytes_per_parameter("fp12")
