from otter.test_files import test_case

OK_FORMAT = False

name = "ppv_verdict"
points = 2

@test_case(points=0, hidden=False)
def test_ppv_verdict_format(ppv_verdict_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(ppv_verdict_answer, 'ppv_verdict_answer')

