from otter.test_files import test_case

OK_FORMAT = False

name = "experiments_budget"
points = 2

@test_case(points=0, hidden=False)
def test_experiments_budget_format(experiments_budget_answer):
    import mlsys_lab as ml
    budget_in = ml.variants.draw('experiments_budget', master={'weeks': 10, 'run_hours': 36}, weeks=ml.variants.span(4, 20), run_hours=ml.variants.span(8, 72, 2))
    from mlsys_lab.checks import check_number
    check_number(experiments_budget_answer, 'experiments_budget_answer')

