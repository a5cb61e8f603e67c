from otter.test_files import test_case

OK_FORMAT = False

name = "max_run_hours"
points = 1

@test_case(points=0, hidden=False)
def test_max_run_hours_format(max_run_hours_answer):
    import mlsys_lab as ml
    plan_in = ml.variants.draw('max_run_hours', master={'weeks': 10, 'target_runs': 100}, weeks=ml.variants.span(4, 20), target_runs=ml.variants.span(40, 200, 10))
    from mlsys_lab.course.checks import check_number
    check_number(max_run_hours_answer, 'max_run_hours_answer', unit='hour')

