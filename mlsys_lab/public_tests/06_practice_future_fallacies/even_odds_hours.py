from otter.test_files import test_case

OK_FORMAT = False

name = "even_odds_hours"
points = 2

@test_case(points=0, hidden=False)
def test_even_odds_hours_format(even_odds_hours_answer):
    import mlsys_lab as ml
    job_in = ml.variants.draw('even_odds_hours', master={'gpus': 512, 'mttf_years': 4}, gpus=ml.variants.span(512, 2048, 32), mttf_years=ml.variants.span(2, 5.6, 0.1))
    from mlsys_lab.course.checks import check_number
    check_number(even_odds_hours_answer, 'even_odds_hours_answer', unit='hour')

