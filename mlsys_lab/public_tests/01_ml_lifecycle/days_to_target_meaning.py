from otter.test_files import test_case

OK_FORMAT = False

name = "days_to_target_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_days_to_target_meaning_format(days_to_target_meaning_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(days_to_target_meaning_answer, 'days_to_target_meaning_answer')

