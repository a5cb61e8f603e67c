from otter.test_files import test_case

OK_FORMAT = False

name = "days_to_target"
points = 2

@test_case(points=0, hidden=False)
def test_days_to_target_format(days_to_target_answer):
    from mlsys_lab.checks import check_number
    check_number(days_to_target_answer, 'days_to_target_answer', unit='day')

