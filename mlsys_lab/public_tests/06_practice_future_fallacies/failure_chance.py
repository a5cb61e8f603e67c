from otter.test_files import test_case

OK_FORMAT = False

name = "failure_chance"
points = 2

@test_case(points=0, hidden=False)
def test_failure_chance_runs(failure_chance):
    from mlsys_lab.course.checks import check_function
    check_function(failure_chance, 'failure_chance')

