from otter.test_files import test_case

OK_FORMAT = False

name = "q12"
points = 2

@test_case(points=0, hidden=False)
def test_q12_format(q12_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(q12_answer, 'q12_answer')

