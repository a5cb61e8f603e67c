from otter.test_files import test_case

OK_FORMAT = False

name = "handoff_slip_days"
points = 2

@test_case(points=0, hidden=False)
def test_handoff_slip_days_format(handoff_slip_days_answer):
    from mlsys_lab.checks import check_number
    check_number(handoff_slip_days_answer, 'handoff_slip_days_answer', unit='day')

