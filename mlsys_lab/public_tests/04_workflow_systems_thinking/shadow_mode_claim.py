from otter.test_files import test_case

OK_FORMAT = False

name = "shadow_mode_claim"
points = 1

@test_case(points=0, hidden=False)
def test_shadow_mode_claim_format(shadow_mode_claim_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(shadow_mode_claim_answer, 'shadow_mode_claim_answer')

