from otter.test_files import test_case

OK_FORMAT = False

name = "pooled_slide_claim"
points = 1

@test_case(points=0, hidden=False)
def test_pooled_slide_claim_format(pooled_slide_claim_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(pooled_slide_claim_answer, 'pooled_slide_claim_answer')

