from otter.test_files import test_case

OK_FORMAT = False

name = "grid_cost"
points = 2

@test_case(points=0, hidden=False)
def test_grid_cost_format(grid_cost_answer):
    from mlsys_lab.checks import check_number
    check_number(grid_cost_answer, 'grid_cost_answer', unit='USD')

