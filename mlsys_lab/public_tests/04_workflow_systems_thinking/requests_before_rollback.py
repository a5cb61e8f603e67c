from otter.test_files import test_case

OK_FORMAT = False

name = "requests_before_rollback"
points = 2

@test_case(points=0, hidden=False)
def test_requests_before_rollback_runs(requests_before_rollback):
    from mlsys_lab.course.checks import check_function
    check_function(requests_before_rollback, 'requests_before_rollback')

