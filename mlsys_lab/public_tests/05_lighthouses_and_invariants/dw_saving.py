from otter.test_files import test_case

OK_FORMAT = False

name = "dw_saving"
points = 2

@test_case(points=0, hidden=False)
def test_dw_saving_format(dw_saving_answer):
    from mlsys_lab.checks import check_number
    check_number(dw_saving_answer, 'dw_saving_answer', unit=None)

