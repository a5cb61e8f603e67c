from otter.test_files import test_case

OK_FORMAT = False

name = "token_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_token_meaning_format(token_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(token_meaning_answer, 'token_meaning_answer')

