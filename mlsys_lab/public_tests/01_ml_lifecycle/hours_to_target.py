from otter.test_files import test_case

OK_FORMAT = False

name = "hours_to_target"
points = 2

@test_case(points=0, hidden=False)
def test_hours_to_target_runs(hours_to_target):
    from mlsys_lab.course.checks import check_function
    check_function(hours_to_target, 'hours_to_target')

