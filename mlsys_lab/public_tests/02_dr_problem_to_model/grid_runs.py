from otter.test_files import test_case

OK_FORMAT = False

name = "grid_runs"
points = 2

@test_case(points=0, hidden=False)
def test_grid_runs_format(grid_runs_answer):
    from mlsys_lab.checks import check_number
    check_number(grid_runs_answer, 'grid_runs_answer')

