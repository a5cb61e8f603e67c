from otter.test_files import test_case

OK_FORMAT = False

name = "amdahl_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_amdahl_meaning_format(amdahl_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(amdahl_meaning_answer, 'amdahl_meaning_answer')

