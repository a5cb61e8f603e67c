from otter.test_files import test_case

OK_FORMAT = False

name = "composed_latency"
points = 2

@test_case(points=0, hidden=False)
def test_composed_latency_format(composed_latency_answer):
    from mlsys_lab.checks import check_number
    check_number(composed_latency_answer, 'composed_latency_answer', unit='ms')

