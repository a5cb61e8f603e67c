from otter.test_files import test_case

OK_FORMAT = False

name = "q9"
points = 1

@test_case(points=0, hidden=False)
def test_q9_format(q9_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(q9_answer, 'q9_answer')

