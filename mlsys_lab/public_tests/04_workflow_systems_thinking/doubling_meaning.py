from otter.test_files import test_case

OK_FORMAT = False

name = "doubling_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_doubling_meaning_format(doubling_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(doubling_meaning_answer, 'doubling_meaning_answer')

