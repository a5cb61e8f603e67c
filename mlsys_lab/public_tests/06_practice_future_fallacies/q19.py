from otter.test_files import test_case

OK_FORMAT = False

name = "q19"
points = 1

@test_case(points=0, hidden=False)
def test_q19_format(q19_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(q19_answer, 'q19_answer')

