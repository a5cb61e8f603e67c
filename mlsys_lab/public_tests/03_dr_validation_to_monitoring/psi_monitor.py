from otter.test_files import test_case

OK_FORMAT = False

name = "psi_monitor"
points = 2

@test_case(points=0, hidden=False)
def test_psi_monitor_runs(psi_monitor):
    from mlsys_lab.course.checks import check_function
    check_function(psi_monitor, 'psi_monitor')

