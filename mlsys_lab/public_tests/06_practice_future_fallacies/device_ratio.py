from otter.test_files import test_case

OK_FORMAT = False

name = "device_ratio"
points = 2

@test_case(points=0, hidden=False)
def test_device_ratio_format(device_ratio_answer):
    from mlsys_lab.checks import check_number
    check_number(device_ratio_answer, 'device_ratio_answer')

