from otter.test_files import test_case

OK_FORMAT = False

name = "uplink_verdict"
points = 2

@test_case(points=0, hidden=False)
def test_uplink_verdict_format(uplink_verdict_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(uplink_verdict_answer, 'uplink_verdict_answer')

