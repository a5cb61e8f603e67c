from otter.test_files import test_case

OK_FORMAT = False

name = "composed_latency_ms"
points = 2

@test_case(points=0, hidden=False)
def test_composed_latency_ms_runs(composed_latency_ms):
    from mlsys_lab.course.checks import check_function
    check_function(composed_latency_ms, 'composed_latency_ms')

