from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 1

@test_case(points=0, hidden=False)
def test_q2_format(q2_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(q2_answer, 'q2_answer')

