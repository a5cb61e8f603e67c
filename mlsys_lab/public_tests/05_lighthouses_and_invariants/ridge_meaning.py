from otter.test_files import test_case

OK_FORMAT = False

name = "ridge_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_ridge_meaning_format(ridge_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(ridge_meaning_answer, 'ridge_meaning_answer')

