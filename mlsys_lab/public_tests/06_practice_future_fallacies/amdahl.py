from otter.test_files import test_case

OK_FORMAT = False

name = "amdahl"
points = 2

@test_case(points=0, hidden=False)
def test_amdahl_format(amdahl_answer):
    import mlsys_lab as ml
    speech_in = ml.variants.draw('amdahl', master={'request_speedup': 1.4}, request_speedup=ml.variants.span(1.05, 1.48, 0.004))
    from mlsys_lab.checks import check_number
    check_number(amdahl_answer, 'amdahl_answer')

