from otter.test_files import test_case

OK_FORMAT = False

name = "psi_top_bin"
points = 2

@test_case(points=0, hidden=False)
def test_psi_top_bin_format(psi_top_bin_answer):
    from mlsys_lab.checks import check_number
    check_number(psi_top_bin_answer, 'psi_top_bin_answer')

