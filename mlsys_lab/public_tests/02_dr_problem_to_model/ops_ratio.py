from otter.test_files import test_case

OK_FORMAT = False

name = "ops_ratio"
points = 2

@test_case(points=0, hidden=False)
def test_ops_ratio_format(ops_ratio_answer):
    from mlsys_lab.checks import check_number
    check_number(ops_ratio_answer, 'ops_ratio_answer')

