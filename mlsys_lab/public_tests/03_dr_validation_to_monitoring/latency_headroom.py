from otter.test_files import test_case

OK_FORMAT = False

name = "latency_headroom"
points = 2

@test_case(points=0, hidden=False)
def test_latency_headroom_format(latency_headroom_answer):
    from mlsys_lab.checks import check_number
    check_number(latency_headroom_answer, 'latency_headroom_answer', unit='ms')

