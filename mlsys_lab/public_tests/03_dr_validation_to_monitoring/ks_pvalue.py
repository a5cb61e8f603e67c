from otter.test_files import test_case

OK_FORMAT = False

name = "ks_pvalue"
points = 2

@test_case(points=0, hidden=False)
def test_ks_pvalue_format(ks_pvalue_answer):
    from mlsys_lab.checks import check_number
    check_number(ks_pvalue_answer, 'ks_pvalue_answer')

