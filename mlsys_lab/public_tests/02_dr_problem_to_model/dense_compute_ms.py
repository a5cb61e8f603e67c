from otter.test_files import test_case

OK_FORMAT = False

name = "dense_compute_ms"
points = 2

@test_case(points=0, hidden=False)
def test_dense_compute_ms_format(dense_compute_ms_answer):
    from mlsys_lab.checks import check_number
    check_number(dense_compute_ms_answer, 'dense_compute_ms_answer', unit='ms')

