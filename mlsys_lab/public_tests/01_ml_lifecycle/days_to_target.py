from otter.test_files import test_case

OK_FORMAT = False

name = "days_to_target"
points = 2

@test_case(points=0, hidden=False)
def test_days_to_target_format(days_to_target_answer):
    import mlsys_lab as ml
    target_in = ml.variants.draw('days_to_target', master={'start_pct': 88.3, 'gain_points': 0.4, 'run_hours': 14, 'target_pct': 95}, start_pct=ml.variants.span(80.3, 89.3), gain_points=ml.variants.choose(0.4, 0.5, 0.6, 0.8), run_hours=ml.variants.span(4, 24, 2), target_pct=ml.variants.span(93, 97))
    from mlsys_lab.course.checks import check_number
    check_number(days_to_target_answer, 'days_to_target_answer', unit='day')

