from otter.test_files import test_case

OK_FORMAT = False

name = "token_rate"
points = 1

@test_case(points=0, hidden=False)
def test_token_rate_format(token_rate_answer):
    import mlsys_lab as ml
    stream_in = ml.variants.draw('token_rate', master={'params_billion': 8}, params_billion=ml.variants.span(6, 14, 0.05))
    from mlsys_lab.course.checks import check_number
    check_number(token_rate_answer, 'token_rate_answer', unit='1/s')

