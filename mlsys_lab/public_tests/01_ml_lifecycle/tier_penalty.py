from otter.test_files import test_case

OK_FORMAT = False

name = "tier_penalty"
points = 1

@test_case(points=0, hidden=False)
def test_tier_penalty_format(tier_penalty_answer):
    import mlsys_lab as ml
    disk_in = ml.variants.draw('tier_penalty', master={'read_ms': 8}, read_ms=ml.variants.span(3, 15, 0.1))
    from mlsys_lab.course.checks import check_number
    check_number(tier_penalty_answer, 'tier_penalty_answer')

