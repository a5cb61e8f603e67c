from otter.test_files import test_case

OK_FORMAT = False

name = "grid_verdict"
points = 2

@test_case(points=0, hidden=False)
def test_grid_verdict_format(grid_verdict_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(grid_verdict_answer, 'grid_verdict_answer')

