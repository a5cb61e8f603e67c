from otter.test_files import test_case

OK_FORMAT = False

name = "fleet_size"
points = 2

@test_case(points=0, hidden=False)
def test_fleet_size_format(fleet_size_answer):
    from mlsys_lab.checks import check_number
    check_number(fleet_size_answer, 'fleet_size_answer')

