from otter.test_files import test_case

OK_FORMAT = False

name = "token_rate"
points = 2

@test_case(points=0, hidden=False)
def test_token_rate_format(token_rate_answer):
    from mlsys_lab.checks import check_number
    check_number(token_rate_answer, 'token_rate_answer', unit='1/s')

