from otter.test_files import test_case

OK_FORMAT = False

name = "upload_hours"
points = 2

@test_case(points=0, hidden=False)
def test_upload_hours_format(upload_hours_answer):
    from mlsys_lab.checks import check_number
    check_number(upload_hours_answer, 'upload_hours_answer', unit='hour')

