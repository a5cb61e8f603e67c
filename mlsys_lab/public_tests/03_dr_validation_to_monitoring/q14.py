from otter.test_files import test_case

OK_FORMAT = False

name = "q14"
points = 1

@test_case(points=0, hidden=False)
def test_q14_format(q14_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(q14_answer, 'q14_answer')

