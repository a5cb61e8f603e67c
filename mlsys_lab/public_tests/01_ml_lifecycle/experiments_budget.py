from otter.test_files import test_case

OK_FORMAT = False

name = "experiments_budget"
points = 2

@test_case(points=0, hidden=False)
def test_experiments_budget_format(experiments_budget_answer):
    from mlsys_lab.checks import check_number
    check_number(experiments_budget_answer, 'experiments_budget_answer')

