from otter.test_files import test_case

OK_FORMAT = False

name = "ppv"
points = 1

@test_case(points=0, hidden=False)
def test_ppv_format(ppv_answer):
    import mlsys_lab as ml
    ppv_in = ml.variants.draw('ppv', master={'sensitivity': 0.92, 'specificity': 0.85, 'prevalence': 0.02}, sensitivity=ml.variants.span(0.89, 0.97, 0.01), specificity=ml.variants.span(0.81, 0.87, 0.01), prevalence=ml.variants.span(0.01, 0.035, 0.005))
    from mlsys_lab.course.checks import check_number
    check_number(ppv_answer, 'ppv_answer')

