from otter.test_files import test_case

OK_FORMAT = False

name = "q10"
points = 1

@test_case(points=0, hidden=False)
def test_q10_format(q10_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(q10_answer, 'q10_answer')

