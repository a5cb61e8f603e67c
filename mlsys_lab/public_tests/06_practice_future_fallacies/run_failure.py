from otter.test_files import test_case

OK_FORMAT = False

name = "run_failure"
points = 2

@test_case(points=0, hidden=False)
def test_run_failure_format(run_failure_answer):
    from mlsys_lab.checks import check_number
    check_number(run_failure_answer, 'run_failure_answer')

