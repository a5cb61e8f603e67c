"""Tests for mlsys_lab.units: the registry, conversions and argument checks."""

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pint
import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.units import (
    Q_,
    as_float_array,
    as_number,
    as_quantity,
    describe_dimension,
    format_quantity,
    nonnegative_number,
    positive_number,
    require_count,
    require_nonnegative,
    require_positive,
    require_probability,
    ureg,
)


def test_information_is_a_dimension():
    assert Q_(5, "MB").dimensionality != Q_(5, "dimensionless").dimensionality
    assert Q_(1, "byte").to("bit").magnitude == 8


def test_decimal_and_binary_prefixes():
    assert Q_(1, "MB").to("byte").magnitude == 1e6
    assert Q_(1, "KB").to("byte").magnitude == 1e3
    assert Q_(1, "kB").to("byte").magnitude == 1e3
    assert Q_(1, "KiB").to("byte").magnitude == 1024
    assert Q_(80, "GiB").to("GB").magnitude == pytest.approx(85.89934592)


def test_bits_and_network_rates():
    assert Q_(2, "Mb/s").to("MB/s").magnitude == pytest.approx(0.25)
    assert Q_(2, "Mbps").to("MB/s").magnitude == pytest.approx(0.25)
    assert Q_(1, "Gb").to("MB").magnitude == pytest.approx(125)
    assert "barn" in str(ureg.parse_units("barn"))


def test_operations_money_and_rates():
    assert Q_(1, "TFLOPS").to("FLOP/s").magnitude == 1e12
    assert Q_(35, "TOPS").to("TFLOP/s").magnitude == pytest.approx(35)
    assert Q_(11, "GFLOPs").to("FLOP").magnitude == pytest.approx(11e9)
    assert Q_(300, "MMAC").to("GFLOP").magnitude == pytest.approx(0.6)  # 1 MAC = 2 FLOPs
    assert describe_dimension("GMAC") == "operation count"
    assert Q_(3, "dollar").to("USD").magnitude == 3
    assert describe_dimension("USD/GB/month").startswith("storage price")


def test_round_trip_conversion():
    q = as_quantity(Q_(7500, "MB"), "GB", "volume")
    assert q.units == ureg.gigabyte and q.magnitude == pytest.approx(7.5)
    back = as_quantity(q, "MB", "volume")
    assert back.magnitude == pytest.approx(7500)


def test_plain_numbers_read_in_default_unit():
    q = as_quantity(3, "ms", "t")
    assert q.magnitude == 3.0 and q.units == ureg.millisecond
    assert as_quantity(np.float64(2.5), "s", "t").magnitude == 2.5


def test_foreign_registry_quantity_accepted():
    other = pint.UnitRegistry(None)  # a tiny stand-in for a student's own registry
    other.define("MB = [data]")
    q = as_quantity(other.Quantity(5, "MB"), "GB", "photo_size")
    assert q.magnitude == pytest.approx(0.005)


def test_dimension_mismatch_message():
    with pytest.raises(InputError) as err:
        as_quantity(Q_(3, "s"), "MB", "photo_size")
    assert str(err.value) == "photo_size: expected a data size (e.g. MB), got a time (second)"


@pytest.mark.parametrize("bad", [True, "5", None, float("nan"), math.inf, [1, 2], np.bool_(True)])
def test_bad_values_rejected(bad):
    with pytest.raises(InputError, match="^size:"):
        as_quantity(bad, "MB", "size")


def test_require_positive_message():
    with pytest.raises(InputError) as err:
        require_positive(as_quantity(-2, "Mb/s", "bandwidth"), "bandwidth")
    assert str(err.value) == "bandwidth: must be positive, got -2 megabit / second"
    assert require_positive(3, "x") == 3
    with pytest.raises(InputError):
        require_positive(0, "x")


def test_require_nonnegative():
    assert require_nonnegative(Q_(0, "ms"), "t").magnitude == 0
    with pytest.raises(InputError, match="t: must not be negative"):
        require_nonnegative(Q_(-1, "ms"), "t")


def test_require_probability():
    assert require_probability(0.3, "p") == 0.3
    assert require_probability(Q_(95, "percent"), "p") == pytest.approx(0.95)
    with pytest.raises(InputError) as err:
        require_probability(1.5, "prevalence")
    assert str(err.value) == "prevalence: must be a probability in [0, 1], got 1.5"
    with pytest.raises(InputError):
        require_probability(Q_(1, "s"), "p")
    with pytest.raises(InputError):
        require_probability(True, "p")


def test_require_count():
    assert require_count(150, "n") == 150
    assert require_count(150.0, "n") == 150
    assert require_count(np.int64(3), "n") == 3
    assert require_count(0, "n", minimum=0) == 0
    for bad in (0, -1, 2.5, True, "3", None):
        with pytest.raises(InputError, match="^n:"):
            require_count(bad, "n")


def test_as_float_array():
    arr = as_float_array([1, 2, 3], "xs")
    assert arr.dtype == float and arr.tolist() == [1.0, 2.0, 3.0]
    assert as_float_array(Q_([1, 2], "s"), "xs", unit="ms").tolist() == [1000.0, 2000.0]
    for bad in ("abc", [1, "a"], [1, float("nan")], [True, False], []):
        with pytest.raises(InputError, match="^xs:"):
            as_float_array(bad, "xs")


def test_as_number_takes_plain_numbers_and_dimensionless_quantities():
    assert as_number(10, "factor") == 10.0
    assert as_number(Q_(10, "dimensionless"), "factor") == 10.0
    assert as_number(Q_(95, "percent"), "share") == pytest.approx(0.95)
    assert positive_number(Q_(1.5, "dimensionless"), "alpha") == 1.5
    assert nonnegative_number(0, "gap") == 0.0
    for bad, message in (
        (Q_(2, "s"), "^factor: expected a dimensionless"),
        (True, "^factor: expected a number"),
        ("10", "^factor: expected a number"),
        (float("inf"), "^factor: must be a finite"),
    ):
        with pytest.raises(InputError, match=message):
            as_number(bad, "factor")
    with pytest.raises(InputError, match="^alpha: must be positive, got 0"):
        positive_number(Q_(0, "dimensionless"), "alpha")
    with pytest.raises(InputError, match="^gap: must not be negative, got -1"):
        nonnegative_number(-1, "gap")


def test_format_quantity():
    assert format_quantity(Q_(-2.0, "Mb/s")) == "-2 megabit / second"
    assert format_quantity(1.5) == "1.5"


def test_import_is_lazy_and_submodules_resolve():
    code = (
        "import sys, mlsys_lab\n"
        "assert 'pint' not in sys.modules, 'pint imported eagerly'\n"
        "assert 'numpy' not in sys.modules, 'numpy imported eagerly'\n"
        "assert mlsys_lab.__version__ == '0.1.0'\n"
        "r = getattr(mlsys_lab, 'roofline').ridge_point(989, 3350)\n"
        "assert getattr(mlsys_lab, 'roofline') is mlsys_lab.science.roofline\n"
        "assert abs(r.magnitude - 295.2238806) < 1e-6\n"
        "assert mlsys_lab.Q_ is mlsys_lab.units.Q_\n"
        "assert set(['roofline', 'ledger', 'InputError']) <= set(dir(mlsys_lab))\n"
        "try:\n    mlsys_lab.no_such_module\nexcept AttributeError:\n    pass\n"
        "else:\n    raise SystemExit('missing attribute did not raise')\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, env=env)
