"""The lifecycle diagrams draw the library's six stages and the pipelines' backward arrows."""

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from mlsys_lab.science import lifecycle
from mlsys_lab.viz import describe
from mlsys_lab.viz import lifecycle_loop as ll


def _texts(fig: Figure) -> str:
    return " ".join(t.get_text().replace("\n", " ") for t in fig.axes[0].texts)


def test_loop_names_every_stage_from_the_library_in_order():
    fig = ll.plot_lifecycle_loop()
    drawn = _texts(fig)
    positions = [drawn.index(f"{i}. {name}") for i, name in enumerate(lifecycle.STAGES, start=1)]
    assert positions == sorted(positions)


def test_loop_has_five_forward_arrows_and_one_back_to_data():
    fig = ll.plot_lifecycle_loop()
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == len(lifecycle.STAGES)  # 5 hand-ons + the feedback arrow
    text = describe(fig)
    assert "from stage 6 back to stage 2" in text
    for name in lifecycle.STAGES:
        assert name in text


def test_pipelines_draw_each_step_and_each_backward_arrow():
    fig = ll.plot_two_pipelines()
    drawn = _texts(fig)
    for step in lifecycle.DATA_PIPELINE + lifecycle.MODEL_PIPELINE:
        assert step in drawn
    for arrow in lifecycle.BACKWARD_ARROWS:
        assert arrow.carries in drawn
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    forward = len(lifecycle.DATA_PIPELINE) - 1 + len(lifecycle.MODEL_PIPELINE) - 1 + 1
    assert len(arrows) == forward + len(lifecycle.BACKWARD_ARROWS)
    assert "online performance from model deployment back to data collection" in describe(fig)
