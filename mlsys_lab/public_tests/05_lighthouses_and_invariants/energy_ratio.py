from otter.test_files import test_case

OK_FORMAT = False

name = "energy_ratio"
points = 2

@test_case(points=0, hidden=False)
def test_energy_ratio_format(energy_ratio_answer):
    from mlsys_lab.checks import check_number
    check_number(energy_ratio_answer, 'energy_ratio_answer', unit=None)

