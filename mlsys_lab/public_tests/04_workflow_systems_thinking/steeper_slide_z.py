from otter.test_files import test_case

OK_FORMAT = False

name = "steeper_slide_z"
points = 2

@test_case(points=0, hidden=False)
def test_steeper_slide_z_format(steeper_slide_z_answer):
    from mlsys_lab.checks import check_number
    check_number(steeper_slide_z_answer, 'steeper_slide_z_answer', sign='any')

