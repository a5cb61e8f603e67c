from otter.test_files import test_case

OK_FORMAT = False

name = "payback_years"
points = 2

@test_case(points=0, hidden=False)
def test_payback_years_format(payback_years_answer):
    from mlsys_lab.checks import check_number
    check_number(payback_years_answer, 'payback_years_answer', unit='year')

