from otter.test_files import test_case

OK_FORMAT = False

name = "requirements_reopen"
points = 1

@test_case(points=0, hidden=False)
def test_requirements_reopen_format(requirements_reopen_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(requirements_reopen_answer, 'requirements_reopen_answer')

