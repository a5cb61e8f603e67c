from otter.test_files import test_case

OK_FORMAT = False

name = "model_speedup"
points = 2

@test_case(points=0, hidden=False)
def test_model_speedup_format(model_speedup_answer):
    from mlsys_lab.checks import check_number
    check_number(model_speedup_answer, 'model_speedup_answer')

