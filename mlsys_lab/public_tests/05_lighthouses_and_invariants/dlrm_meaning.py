from otter.test_files import test_case

OK_FORMAT = False

name = "dlrm_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_dlrm_meaning_format(dlrm_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(dlrm_meaning_answer, 'dlrm_meaning_answer')

