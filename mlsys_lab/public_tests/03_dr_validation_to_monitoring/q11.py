from otter.test_files import test_case

OK_FORMAT = False

name = "q11"
points = 1

@test_case(points=0, hidden=False)
def test_q11_format(q11_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(q11_answer, 'q11_answer')

