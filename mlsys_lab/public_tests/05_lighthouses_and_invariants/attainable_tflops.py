from otter.test_files import test_case

OK_FORMAT = False

name = "attainable_tflops"
points = 2

@test_case(points=0, hidden=False)
def test_attainable_tflops_runs(attainable_tflops):
    from mlsys_lab.course.checks import check_function
    check_function(attainable_tflops, 'attainable_tflops')

