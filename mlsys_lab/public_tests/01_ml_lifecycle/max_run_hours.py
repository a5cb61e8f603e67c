from otter.test_files import test_case

OK_FORMAT = False

name = "max_run_hours"
points = 2

@test_case(points=0, hidden=False)
def test_max_run_hours_format(max_run_hours_answer):
    from mlsys_lab.checks import check_number
    check_number(max_run_hours_answer, 'max_run_hours_answer', unit='hour')

