from otter.test_files import test_case

OK_FORMAT = False

name = "targets_fixed"
points = 1

@test_case(points=0, hidden=False)
def test_targets_fixed_format(targets_fixed_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(targets_fixed_answer, 'targets_fixed_answer')

