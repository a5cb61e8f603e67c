from otter.test_files import test_case

OK_FORMAT = False

name = "slip_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_slip_meaning_format(slip_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(slip_meaning_answer, 'slip_meaning_answer')

