"""Marginal value of more data (ML Workflow, §Fallacies and Pitfalls)."""

import math

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import data_value as dv
from mlsys_lab.units import Q_


def test_pitfall_curve_doubling_half_million_buys_under_one_point():
    gain = dv.scaling_gain(dv.PITFALL_CURVE, 500_000, 1_000_000)
    assert 0 < gain.to("percent").magnitude < 1.0
    assert 90 < dv.PITFALL_CURVE.accuracy(500_000).magnitude < 95


def test_gain_per_doubling_shrinks_by_the_doubling_ratio():
    curve = dv.LearningCurve(scale=2.0, exponent=0.5, irreducible_error=0.03)
    gains = [g.magnitude for g in dv.doubling_gains(curve, 10_000, 4)]
    for earlier, later in zip(gains, gains[1:]):
        assert later / earlier == pytest.approx(curve.doubling_ratio)
    assert curve.doubling_ratio == pytest.approx(2**-0.5)


def test_from_doubling_reproduces_its_inputs():
    curve = dv.LearningCurve.from_doubling(100_000, Q_(1.2, "percent"), 0.7)
    assert dv.scaling_gain(curve, 100_000, 200_000).magnitude == pytest.approx(1.2)
    assert dv.scaling_gain(curve, 200_000, 400_000).magnitude == pytest.approx(0.84)
    same = dv.LearningCurve.from_doubling(100_000, 0.012, 0.7)
    assert same.scale == pytest.approx(curve.scale)


def test_irreducible_error_does_not_change_gains():
    a = dv.LearningCurve(scale=1.0, exponent=0.3)
    b = dv.LearningCurve(scale=1.0, exponent=0.3, irreducible_error=0.1)
    assert dv.scaling_gain(a, 1e4, 4e4).magnitude == pytest.approx(dv.scaling_gain(b, 1e4, 4e4).magnitude)
    assert b.accuracy(1e4).magnitude == pytest.approx(a.accuracy(1e4).magnitude - 10)


def test_marginal_value_by_hand():
    curve = dv.LearningCurve.from_doubling(200_000, Q_(0.5, "percent"), 0.8)
    verdict = dv.marginal_data_value(curve, 200_000, 400_000, 0.30, 40_000)
    assert verdict.cost.to("USD").magnitude == pytest.approx(60_000)
    assert verdict.value.to("USD").magnitude == pytest.approx(20_000)
    assert verdict.net_value.to("USD").magnitude == pytest.approx(-40_000)
    assert verdict.cost_per_point.to("USD").magnitude == pytest.approx(120_000)
    assert verdict.worth_it is False
    assert dv.marginal_data_value(curve, 200_000, 400_000, 0.05, 40_000).worth_it is True


def test_labeling_cost_accepts_quantities():
    assert dv.labeling_cost(1000, 0.5).to("USD").magnitude == pytest.approx(500)
    assert dv.labeling_cost(Q_(1000, "dimensionless"), Q_(0.5, "USD")).magnitude == pytest.approx(500)


@pytest.mark.parametrize(
    "call",
    [
        lambda: dv.LearningCurve(scale=-1, exponent=0.3),
        lambda: dv.LearningCurve(scale=1, exponent=0),
        lambda: dv.LearningCurve(scale=1, exponent=0.3, irreducible_error=1.5),
        lambda: dv.LearningCurve.from_doubling(1e5, 0.01, 1.2),
        lambda: dv.LearningCurve.from_doubling(1e5, -0.01, 0.5),
        lambda: dv.scaling_gain(dv.PITFALL_CURVE, 2e5, 1e5),
        lambda: dv.scaling_gain(dv.PITFALL_CURVE, -5, 1e5),
        lambda: dv.labeling_cost(100, Q_(2, "second")),
        lambda: dv.labeling_cost(100, -1),
        lambda: dv.labeling_cost("many", 1),
        lambda: dv.marginal_data_value(dv.PITFALL_CURVE, 1e5, 2e5, 0.1, -5),
    ],
)
def test_nonsense_is_rejected(call):
    with pytest.raises(InputError):
        call()


def test_zero_gain_has_infinite_cost_per_point():
    verdict = dv.marginal_data_value(dv.PITFALL_CURVE, 1e5, 1e5, 0.1, 1000)
    assert math.isinf(verdict.cost_per_point.magnitude)
    assert verdict.worth_it is False
