from otter.test_files import test_case

OK_FORMAT = False

name = "grid_budget"
points = 2

@test_case(points=0, hidden=False)
def test_grid_budget_format(grid_budget_answer):
    import mlsys_lab as ml
    grid_budget_in = ml.variants.draw('grid_budget', master={'cap_usd': 100000, 'run_usd': 350}, cap_usd=ml.variants.span(30000, 900000, 10000), run_usd=ml.variants.span(155, 595, 10))
    from mlsys_lab.course.checks import check_number
    check_number(grid_budget_answer, 'grid_budget_answer', unit='USD')

