from otter.test_files import test_case

OK_FORMAT = False

name = "gravity_move"
points = 2

@test_case(points=0, hidden=False)
def test_gravity_move_format(gravity_move_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(gravity_move_answer, 'gravity_move_answer')

