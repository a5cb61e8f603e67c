from otter.test_files import test_case

OK_FORMAT = False

name = "overtake_runs"
points = 2

@test_case(points=0, hidden=False)
def test_overtake_runs_format(overtake_runs_answer):
    from mlsys_lab.checks import check_number
    check_number(overtake_runs_answer, 'overtake_runs_answer')

