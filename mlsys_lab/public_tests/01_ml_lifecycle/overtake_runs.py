from otter.test_files import test_case

OK_FORMAT = False

name = "overtake_runs"
points = 2

@test_case(points=0, hidden=False)
def test_overtake_runs_format(overtake_runs_answer):
    import mlsys_lab as ml
    overtake_in = ml.variants.draw('overtake_runs', master={'window_weeks': ml.constants.ITERATION_WINDOW.to('week').magnitude, 'small_gain_points': ml.constants.SMALL_GAIN_PER_ITERATION.to('percent').magnitude}, window_weeks=ml.variants.span(10, 40), small_gain_points=ml.variants.span(0.05, 0.15, 0.01))
    from mlsys_lab.course.checks import check_number
    check_number(overtake_runs_answer, 'overtake_runs_answer')

