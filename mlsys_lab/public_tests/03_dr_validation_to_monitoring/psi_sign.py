from otter.test_files import test_case

OK_FORMAT = False

name = "psi_sign"
points = 1

@test_case(points=0, hidden=False)
def test_psi_sign_format(psi_sign_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(psi_sign_answer, 'psi_sign_answer')

