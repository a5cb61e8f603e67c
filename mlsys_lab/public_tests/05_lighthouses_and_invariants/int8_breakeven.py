from otter.test_files import test_case

OK_FORMAT = False

name = "int8_breakeven"
points = 2

@test_case(points=0, hidden=False)
def test_int8_breakeven_format(int8_breakeven_answer):
    from mlsys_lab.checks import check_number
    check_number(int8_breakeven_answer, 'int8_breakeven_answer', unit=None)

