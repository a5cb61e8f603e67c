from otter.test_files import test_case

OK_FORMAT = False

name = "composed_failure_design"
points = 2

@test_case(points=0, hidden=False)
def test_composed_failure_design_format(composed_failure_design_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(composed_failure_design_answer, 'composed_failure_design_answer')

