from otter.test_files import test_case

OK_FORMAT = False

name = "referrals_per_day"
points = 2

@test_case(points=0, hidden=False)
def test_referrals_per_day_runs(referrals_per_day):
    from mlsys_lab.course.checks import check_function
    check_function(referrals_per_day, 'referrals_per_day')

