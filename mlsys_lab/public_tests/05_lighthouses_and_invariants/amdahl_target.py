from otter.test_files import test_case

OK_FORMAT = False

name = "amdahl_target"
points = 2

@test_case(points=0, hidden=False)
def test_amdahl_target_format(amdahl_target_answer):
    import mlsys_lab as ml
    camera_in = ml.variants.draw('amdahl_target', master={'request_speedup': 1.25}, request_speedup=ml.variants.span(1.06, 1.45, 0.004))
    from mlsys_lab.course.checks import check_number
    check_number(amdahl_target_answer, 'amdahl_target_answer', unit=None)

