from otter.test_files import test_case

OK_FORMAT = False

name = "even_odds_hours"
points = 2

@test_case(points=0, hidden=False)
def test_even_odds_hours_format(even_odds_hours_answer):
    from mlsys_lab.checks import check_number
    check_number(even_odds_hours_answer, 'even_odds_hours_answer', unit='hour')

