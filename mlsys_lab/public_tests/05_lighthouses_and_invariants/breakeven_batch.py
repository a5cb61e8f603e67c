from otter.test_files import test_case

OK_FORMAT = False

name = "breakeven_batch"
points = 2

@test_case(points=0, hidden=False)
def test_breakeven_batch_format(breakeven_batch_answer):
    from mlsys_lab.checks import check_number
    check_number(breakeven_batch_answer, 'breakeven_batch_answer', unit=None)

