from otter.test_files import test_case

OK_FORMAT = False

name = "q15"
points = 1

@test_case(points=0, hidden=False)
def test_q15_format(q15_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(q15_answer, 'q15_answer')

