from otter.test_files import test_case

OK_FORMAT = False

name = "stall_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_stall_meaning_format(stall_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(stall_meaning_answer, 'stall_meaning_answer')

