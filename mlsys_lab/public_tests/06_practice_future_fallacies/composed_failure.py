from otter.test_files import test_case

OK_FORMAT = False

name = "composed_failure"
points = 2

@test_case(points=0, hidden=False)
def test_composed_failure_format(composed_failure_answer):
    from mlsys_lab.checks import check_number
    check_number(composed_failure_answer, 'composed_failure_answer')

