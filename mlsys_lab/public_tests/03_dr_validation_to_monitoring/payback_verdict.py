from otter.test_files import test_case

OK_FORMAT = False

name = "payback_verdict"
points = 2

@test_case(points=0, hidden=False)
def test_payback_verdict_format(payback_verdict_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(payback_verdict_answer, 'payback_verdict_answer')

