from otter.test_files import test_case

OK_FORMAT = False

name = "whole_experiments"
points = 2

@test_case(points=0, hidden=False)
def test_whole_experiments_runs(whole_experiments):
    from mlsys_lab.course.checks import check_function
    check_function(whole_experiments, 'whole_experiments')

