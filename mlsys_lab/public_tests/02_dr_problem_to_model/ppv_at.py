from otter.test_files import test_case

OK_FORMAT = False

name = "ppv_at"
points = 2

@test_case(points=0, hidden=False)
def test_ppv_at_runs(ppv_at):
    from mlsys_lab.course.checks import check_function
    check_function(ppv_at, 'ppv_at')

