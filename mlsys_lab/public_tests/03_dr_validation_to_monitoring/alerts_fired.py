from otter.test_files import test_case

OK_FORMAT = False

name = "alerts_fired"
points = 2

@test_case(points=0, hidden=False)
def test_alerts_fired_format(alerts_fired_answer):
    from mlsys_lab.checks import check_number
    check_number(alerts_fired_answer, 'alerts_fired_answer', sign='nonnegative')

