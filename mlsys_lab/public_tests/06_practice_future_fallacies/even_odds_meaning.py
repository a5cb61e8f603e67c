from otter.test_files import test_case

OK_FORMAT = False

name = "even_odds_meaning"
points = 2

@test_case(points=0, hidden=False)
def test_even_odds_meaning_format(even_odds_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(even_odds_meaning_answer, 'even_odds_meaning_answer')

