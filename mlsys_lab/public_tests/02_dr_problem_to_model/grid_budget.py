from otter.test_files import test_case

OK_FORMAT = False

name = "grid_budget"
points = 2

@test_case(points=0, hidden=False)
def test_grid_budget_format(grid_budget_answer):
    from mlsys_lab.checks import check_number
    check_number(grid_budget_answer, 'grid_budget_answer')

