"""The conservation-of-complexity cycle (Conclusion, §Thirteen Quantitative Invariants)."""

import pytest
from matplotlib.figure import Figure

import mlsys_lab as ml
from mlsys_lab.errors import InputError
from mlsys_lab.science import invariants as inv


def test_thirteen_invariants_in_four_phases():
    assert [i.number for i in inv.INVARIANTS] == list(range(1, 14))
    assert [len(inv.in_phase(p)) for p in inv.PHASES] == [2, 2, 4, 5]
    assert inv.get_invariant(6).name == "arithmetic intensity law"
    assert inv.get_invariant("Iron Law").phase == "Build"
    assert len(inv.FEEDBACK_SIGNALS) == len(inv.in_phase("Deploy"))
    with pytest.raises(InputError, match="key"):
        inv.get_invariant(14)
    with pytest.raises(InputError, match="phase"):
        inv.in_phase("Train")


def test_cycle_diagram_draws_every_invariant_and_the_feedback_arrow():
    fig = ml.viz.complexity_cycle.plot_complexity_cycle()
    assert isinstance(fig, Figure)
    text = " ".join(t.get_text() for t in fig.axes[0].texts)
    for i in inv.INVARIANTS:
        assert f"{i.number}. {i.name}" in text
    assert "conservation\nof complexity" in text and "back to Foundations" in text
    # three forward arrows and one feedback arrow
    assert len(fig.axes[0].patches) == 4 + 1 + 4
    alt = ml.viz.describe(fig)
    assert "Deploy back to Foundations" in alt and "Optimize (5, 6, 7, 8)" in alt


def test_cycle_without_examples():
    fig = ml.viz.complexity_cycle.plot_complexity_cycle(show_moves=False)
    assert "quantization" not in " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "quantization" not in ml.viz.describe(fig)
