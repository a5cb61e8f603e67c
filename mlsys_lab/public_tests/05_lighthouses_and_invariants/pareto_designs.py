from otter.test_files import test_case

OK_FORMAT = False

name = "pareto_designs"
points = 2

@test_case(points=0, hidden=False)
def test_pareto_designs_runs(pareto_designs):
    from mlsys_lab.course.checks import check_function
    check_function(pareto_designs, 'pareto_designs')

