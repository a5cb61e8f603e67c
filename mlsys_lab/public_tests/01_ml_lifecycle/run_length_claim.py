from otter.test_files import test_case

OK_FORMAT = False

name = "run_length_claim"
points = 1

@test_case(points=0, hidden=False)
def test_run_length_claim_format(run_length_claim_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(run_length_claim_answer, 'run_length_claim_answer')

