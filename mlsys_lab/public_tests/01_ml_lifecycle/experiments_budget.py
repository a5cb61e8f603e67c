from otter.test_files import test_case

OK_FORMAT = False

name = "experiments_budget"
points = 1

@test_case(points=0, hidden=False)
def test_experiments_budget_format(experiments_budget_answer):
    import mlsys_lab as ml
    budget_in = ml.variants.draw('experiments_budget', master={'weeks': 10, 'run_hours': 36}, weeks=ml.variants.choose(4, 12, 20), run_hours=ml.variants.choose(9.75, 10.25, 10.75, 14.75, 17, 17.25, 19.25, 22, 22.75, 23.25, 23.5, 28.5, 29.25, 29.75, 31.25, 32.75, 33.75, 35.5, 36.25, 37.5, 38.25, 39.75, 40.5, 42.25, 43.25, 45, 46.25, 48.25, 49.5, 49.75, 51.75, 52, 53.5, 53.75, 56.25, 58, 58.25, 61.25, 61.5, 63.5, 63.75, 67.25, 67.5, 67.75, 70.25, 70.5))
    from mlsys_lab.course.checks import check_number
    check_number(experiments_budget_answer, 'experiments_budget_answer')

