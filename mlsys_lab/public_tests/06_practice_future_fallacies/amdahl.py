from otter.test_files import test_case

OK_FORMAT = False

name = "amdahl"
points = 2

@test_case(points=0, hidden=False)
def test_amdahl_format(amdahl_answer):
    from mlsys_lab.checks import check_number
    check_number(amdahl_answer, 'amdahl_answer')

