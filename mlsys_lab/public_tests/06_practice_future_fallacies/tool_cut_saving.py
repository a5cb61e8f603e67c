from otter.test_files import test_case

OK_FORMAT = False

name = "tool_cut_saving"
points = 2

@test_case(points=0, hidden=False)
def test_tool_cut_saving_format(tool_cut_saving_answer):
    import mlsys_lab as ml
    tools_in = ml.variants.draw('tool_cut_saving', master={'slow_tool_ms': 230, 'mid_tool_ms': 160, 'fast_tool_ms': 110, 'cut_ms': 100}, slow_tool_ms=ml.variants.span(215, 280), mid_tool_ms=ml.variants.span(150, 195), fast_tool_ms=ml.variants.span(60, 140, 5), cut_ms=ml.variants.span(140, 200, 10))
    from mlsys_lab.course.checks import check_number
    check_number(tool_cut_saving_answer, 'tool_cut_saving_answer', unit='ms')

