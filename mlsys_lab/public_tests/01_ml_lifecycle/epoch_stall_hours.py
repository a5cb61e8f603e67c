from otter.test_files import test_case

OK_FORMAT = False

name = "epoch_stall_hours"
points = 2

@test_case(points=0, hidden=False)
def test_epoch_stall_hours_format(epoch_stall_hours_answer):
    import mlsys_lab as ml
    epoch_in = ml.variants.draw('epoch_stall_hours', master={'samples': 1000000, 'read_ms': 8}, samples=ml.variants.span(200000, 3000000, 100000), read_ms=ml.variants.span(4, 12, 0.5))
    from mlsys_lab.course.checks import check_number
    check_number(epoch_stall_hours_answer, 'epoch_stall_hours_answer', unit='hour')

