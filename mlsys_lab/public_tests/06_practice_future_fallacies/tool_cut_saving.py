from otter.test_files import test_case

OK_FORMAT = False

name = "tool_cut_saving"
points = 2

@test_case(points=0, hidden=False)
def test_tool_cut_saving_format(tool_cut_saving_answer):
    from mlsys_lab.checks import check_number
    check_number(tool_cut_saving_answer, 'tool_cut_saving_answer', unit='ms')

