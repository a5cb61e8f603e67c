from otter.test_files import test_case

OK_FORMAT = False

name = "ppv_break_even"
points = 2

@test_case(points=0, hidden=False)
def test_ppv_break_even_format(ppv_break_even_answer):
    import mlsys_lab as ml
    break_even_in = ml.variants.draw('ppv', master={'sensitivity': 0.92, 'specificity': 0.85, 'prevalence': 0.02}, sensitivity=ml.variants.span(0.89, 0.97, 0.01), specificity=ml.variants.span(0.81, 0.87, 0.01), prevalence=ml.variants.span(0.01, 0.035, 0.005))
    from mlsys_lab.course.checks import check_number
    check_number(ppv_break_even_answer, 'ppv_break_even_answer')

