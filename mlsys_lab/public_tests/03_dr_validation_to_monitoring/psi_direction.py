from otter.test_files import test_case

OK_FORMAT = False

name = "psi_direction"
points = 1

@test_case(points=0, hidden=False)
def test_psi_direction_format(psi_direction_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(psi_direction_answer, 'psi_direction_answer')

