from otter.test_files import test_case

OK_FORMAT = False

name = "ppv"
points = 2

@test_case(points=0, hidden=False)
def test_ppv_format(ppv_answer):
    from mlsys_lab.checks import check_number
    check_number(ppv_answer, 'ppv_answer')

