from otter.test_files import test_case

OK_FORMAT = False

name = "fleet_mtbf"
points = 2

@test_case(points=0, hidden=False)
def test_fleet_mtbf_format(fleet_mtbf_answer):
    from mlsys_lab.checks import check_number
    check_number(fleet_mtbf_answer, 'fleet_mtbf_answer', unit='hour')

