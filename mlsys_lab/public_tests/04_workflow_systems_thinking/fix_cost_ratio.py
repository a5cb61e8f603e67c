from otter.test_files import test_case

OK_FORMAT = False

name = "fix_cost_ratio"
points = 2

@test_case(points=0, hidden=False)
def test_fix_cost_ratio_runs(fix_cost_ratio):
    from mlsys_lab.course.checks import check_function
    check_function(fix_cost_ratio, 'fix_cost_ratio')

