from otter.test_files import test_case

OK_FORMAT = False

name = "q13"
points = 1

@test_case(points=0, hidden=False)
def test_q13_format(q13_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(q13_answer, 'q13_answer')

