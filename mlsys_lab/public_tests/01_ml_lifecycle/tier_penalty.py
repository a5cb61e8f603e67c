from otter.test_files import test_case

OK_FORMAT = False

name = "tier_penalty"
points = 2

@test_case(points=0, hidden=False)
def test_tier_penalty_format(tier_penalty_answer):
    from mlsys_lab.checks import check_number
    check_number(tier_penalty_answer, 'tier_penalty_answer')

