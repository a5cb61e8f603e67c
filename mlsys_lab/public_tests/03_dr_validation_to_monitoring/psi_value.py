from otter.test_files import test_case

OK_FORMAT = False

name = "psi_value"
points = 2

@test_case(points=0, hidden=False)
def test_psi_value_format(psi_value_answer):
    from mlsys_lab.checks import check_number
    check_number(psi_value_answer, 'psi_value_answer')

