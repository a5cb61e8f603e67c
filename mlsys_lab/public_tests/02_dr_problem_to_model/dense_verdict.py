from otter.test_files import test_case

OK_FORMAT = False

name = "dense_verdict"
points = 2

@test_case(points=0, hidden=False)
def test_dense_verdict_format(dense_verdict_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(dense_verdict_answer, 'dense_verdict_answer')

