from otter.test_files import test_case

OK_FORMAT = False

name = "dense_compute_ms"
points = 1

@test_case(points=0, hidden=False)
def test_dense_compute_ms_format(dense_compute_ms_answer):
    import mlsys_lab as ml
    dense_in = ml.variants.draw('ops_ratio', master={'dense_gmacs': 7.2, 'compact_mmacs': 450, 'device_tflops': 0.25}, dense_gmacs=ml.variants.span(7.0, 14.0, 0.1), compact_mmacs=ml.variants.span(250, 600, 10), device_tflops=ml.variants.choose(0.15, 0.2, 0.25))
    from mlsys_lab.course.checks import check_number
    check_number(dense_compute_ms_answer, 'dense_compute_ms_answer', unit='ms')

