from otter.test_files import test_case

OK_FORMAT = False

name = "max_run_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_max_run_meaning_format(max_run_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(max_run_meaning_answer, 'max_run_meaning_answer')

