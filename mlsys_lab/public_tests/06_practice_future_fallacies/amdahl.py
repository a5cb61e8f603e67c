from otter.test_files import test_case

OK_FORMAT = False

name = "amdahl"
points = 2

@test_case(points=0, hidden=False)
def test_amdahl_format(amdahl_answer):
    import mlsys_lab as ml
    speech_in = ml.variants.draw('amdahl', master={'cpu_percent': 60, 'model_factor': 8, 'cpu_factor': 3}, cpu_percent=ml.variants.choose(60, 65, 70, 75, 80), model_factor=ml.variants.span(4, 12, 0.5), cpu_factor=ml.variants.span(2.8, 6, 0.05))
    from mlsys_lab.course.checks import check_number
    check_number(amdahl_answer, 'amdahl_answer')

