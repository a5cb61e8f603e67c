from otter.test_files import test_case

OK_FORMAT = False

name = "handoff_slip_days"
points = 2

@test_case(points=0, hidden=False)
def test_handoff_slip_days_format(handoff_slip_days_answer):
    import mlsys_lab as ml
    slip_in = ml.variants.draw('handoff_slip_days', master={'check_days': 1.5, 'found_at': 'deployment'}, check_days=ml.variants.span(0.5, 8, 0.25), found_at=ml.variants.choose('model development', 'evaluation', 'deployment', 'monitoring'))
    from mlsys_lab.checks import check_number
    check_number(handoff_slip_days_answer, 'handoff_slip_days_answer', unit='day')

