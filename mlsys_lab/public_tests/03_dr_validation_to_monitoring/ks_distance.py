from otter.test_files import test_case

OK_FORMAT = False

name = "ks_distance"
points = 2

@test_case(points=0, hidden=False)
def test_ks_distance_runs(ks_distance):
    from mlsys_lab.course.checks import check_function
    check_function(ks_distance, 'ks_distance')

