from otter.test_files import test_case

OK_FORMAT = False

name = "fleet_share"
points = 1

@test_case(points=0, hidden=False)
def test_fleet_share_format(fleet_share_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(fleet_share_answer, 'fleet_share_answer')

