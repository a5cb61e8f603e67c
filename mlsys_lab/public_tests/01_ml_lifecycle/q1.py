from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 1

@test_case(points=0, hidden=False)
def test_q1_format(q1_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(q1_answer, 'q1_answer')

