from otter.test_files import test_case

OK_FORMAT = False

name = "model_handoff_violations"
points = 2

@test_case(points=0, hidden=False)
def test_model_handoff_violations_format(model_handoff_violations_answer):
    from mlsys_lab.checks import check_number
    check_number(model_handoff_violations_answer, 'model_handoff_violations_answer')

