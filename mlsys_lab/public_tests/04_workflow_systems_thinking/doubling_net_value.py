from otter.test_files import test_case

OK_FORMAT = False

name = "doubling_net_value"
points = 2

@test_case(points=0, hidden=False)
def test_doubling_net_value_format(doubling_net_value_answer):
    from mlsys_lab.checks import check_number
    check_number(doubling_net_value_answer, 'doubling_net_value_answer', unit='USD', sign='any')

