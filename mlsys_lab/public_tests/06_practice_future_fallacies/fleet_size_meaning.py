from otter.test_files import test_case

OK_FORMAT = False

name = "fleet_size_meaning"
points = 2

@test_case(points=0, hidden=False)
def test_fleet_size_meaning_format(fleet_size_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(fleet_size_meaning_answer, 'fleet_size_meaning_answer')

