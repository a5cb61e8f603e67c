from otter.test_files import test_case

OK_FORMAT = False

name = "energy_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_energy_meaning_format(energy_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(energy_meaning_answer, 'energy_meaning_answer')

