from otter.test_files import test_case

OK_FORMAT = False

name = "ridge_point"
points = 2

@test_case(points=0, hidden=False)
def test_ridge_point_format(ridge_point_answer):
    from mlsys_lab.checks import check_number
    check_number(ridge_point_answer, 'ridge_point_answer', unit='FLOP/byte')

