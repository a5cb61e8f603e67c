from otter.test_files import test_case

OK_FORMAT = False

name = "late_fix_days"
points = 2

@test_case(points=0, hidden=False)
def test_late_fix_days_format(late_fix_days_answer):
    import mlsys_lab as ml
    late_in = ml.variants.draw('late_fix_days', master={'base_days': 2.5, 'found_at': 'evaluation'}, base_days=ml.variants.span(0.5, 8, 0.25), found_at=ml.variants.choose('model development', 'evaluation', 'deployment', 'monitoring'))
    from mlsys_lab.checks import check_number
    check_number(late_fix_days_answer, 'late_fix_days_answer', unit='day')

