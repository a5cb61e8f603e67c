from otter.test_files import test_case

OK_FORMAT = False

name = "epoch_stall_hours"
points = 2

@test_case(points=0, hidden=False)
def test_epoch_stall_hours_format(epoch_stall_hours_answer):
    from mlsys_lab.checks import check_number
    check_number(epoch_stall_hours_answer, 'epoch_stall_hours_answer', unit='hour')

