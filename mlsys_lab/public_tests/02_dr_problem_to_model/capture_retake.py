from otter.test_files import test_case

OK_FORMAT = False

name = "capture_retake"
points = 1

@test_case(points=0, hidden=False)
def test_capture_retake_format(capture_retake_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(capture_retake_answer, 'capture_retake_answer')

