from otter.test_files import test_case

OK_FORMAT = False

name = "alerts_verdict"
points = 2

@test_case(points=0, hidden=False)
def test_alerts_verdict_format(alerts_verdict_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(alerts_verdict_answer, 'alerts_verdict_answer')

