from otter.test_files import test_case

OK_FORMAT = False

name = "day_share"
points = 2

@test_case(points=0, hidden=False)
def test_day_share_format(day_share_answer):
    from mlsys_lab.checks import check_number
    check_number(day_share_answer, 'day_share_answer')

