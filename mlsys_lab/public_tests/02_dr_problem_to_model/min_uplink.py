from otter.test_files import test_case

OK_FORMAT = False

name = "min_uplink"
points = 2

@test_case(points=0, hidden=False)
def test_min_uplink_format(min_uplink_answer):
    from mlsys_lab.checks import check_number
    check_number(min_uplink_answer, 'min_uplink_answer', unit='Mb/s')

