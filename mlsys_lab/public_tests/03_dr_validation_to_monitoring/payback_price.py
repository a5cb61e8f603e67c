from otter.test_files import test_case

OK_FORMAT = False

name = "payback_price"
points = 2

@test_case(points=0, hidden=False)
def test_payback_price_format(payback_price_answer):
    from mlsys_lab.checks import check_number
    check_number(payback_price_answer, 'payback_price_answer', unit='USD')

