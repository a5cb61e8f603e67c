from otter.test_files import test_case

OK_FORMAT = False

name = "composed_failure"
points = 2

@test_case(points=0, hidden=False)
def test_composed_failure_format(composed_failure_answer):
    import mlsys_lab as ml
    failure_in = ml.variants.draw('composed_failure', master={'budget_percent': 10}, budget_percent=ml.variants.span(5, 20, 0.1))
    from mlsys_lab.course.checks import check_number
    check_number(composed_failure_answer, 'composed_failure_answer')

