"""The multi-scale feedback diagram draws one ring per loop of the library, fastest inside."""

import pytest
from matplotlib.patches import Arc

from mlsys_lab.science import lifecycle
from mlsys_lab.viz import describe
from mlsys_lab.viz import feedback_clocks as fc


def test_one_ring_per_clock_growing_outwards():
    fig = fc.plot_feedback_clocks()
    rings = [p for p in fig.axes[0].patches if isinstance(p, Arc)]
    assert len(rings) == len(lifecycle.FEEDBACK_CLOCKS)
    widths = [r.width for r in rings]
    assert widths == sorted(widths) and len(set(widths)) == len(widths)


def test_alt_text_names_every_loop_in_order():
    text = describe(fc.plot_feedback_clocks(highlight="weeks"))
    positions = [text.index(f"{c.clock}: watches {c.watches}") for c in lifecycle.FEEDBACK_CLOCKS]
    assert positions == sorted(positions)


def test_unknown_clock_is_refused():
    with pytest.raises(ValueError):
        fc.plot_feedback_clocks(highlight="years")
