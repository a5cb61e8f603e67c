from otter.test_files import test_case

OK_FORMAT = False

name = "latency_overshoot"
points = 1

@test_case(points=0, hidden=False)
def test_latency_overshoot_format(latency_overshoot_answer):
    import mlsys_lab as ml
    latency_in = ml.variants.draw('latency_overshoot', master={'preprocess_ms': 9, 'model_ms': 22, 'cloud_ms': 45, 'record_ms': 18}, preprocess_ms=ml.variants.span(8, 10), model_ms=ml.variants.span(22, 34), cloud_ms=ml.variants.span(45, 48), record_ms=ml.variants.span(16, 19))
    from mlsys_lab.course.checks import check_number
    check_number(latency_overshoot_answer, 'latency_overshoot_answer', unit='ms')

