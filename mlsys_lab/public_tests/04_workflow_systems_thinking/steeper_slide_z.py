from otter.test_files import test_case

OK_FORMAT = False

name = "steeper_slide_z"
points = 2

@test_case(points=0, hidden=False)
def test_steeper_slide_z_format(steeper_slide_z_answer):
    import mlsys_lab as ml
    slide_in = ml.variants.draw('steeper_slide_z', master={'subgroup_share': 0.08, 'final_sensitivity': 0.6}, subgroup_share=ml.variants.span(0.05, 0.15, 0.01), final_sensitivity=ml.variants.span(0.4, 0.7, 0.01))
    from mlsys_lab.course.checks import check_number
    check_number(steeper_slide_z_answer, 'steeper_slide_z_answer', sign='any')

