from otter.test_files import test_case

OK_FORMAT = False

name = "latency_overshoot"
points = 2

@test_case(points=0, hidden=False)
def test_latency_overshoot_format(latency_overshoot_answer):
    from mlsys_lab.checks import check_number
    check_number(latency_overshoot_answer, 'latency_overshoot_answer', unit='ms')

