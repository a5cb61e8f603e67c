from otter.test_files import test_case

OK_FORMAT = False

name = "ppv_break_even"
points = 2

@test_case(points=0, hidden=False)
def test_ppv_break_even_format(ppv_break_even_answer):
    from mlsys_lab.checks import check_number
    check_number(ppv_break_even_answer, 'ppv_break_even_answer')

