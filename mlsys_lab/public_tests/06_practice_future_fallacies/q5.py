from otter.test_files import test_case

OK_FORMAT = False

name = "q5"
points = 1

@test_case(points=0, hidden=False)
def test_q5_format(q5_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(q5_answer, 'q5_answer')

