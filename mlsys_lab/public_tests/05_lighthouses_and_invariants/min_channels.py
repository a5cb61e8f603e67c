from otter.test_files import test_case

OK_FORMAT = False

name = "min_channels"
points = 2

@test_case(points=0, hidden=False)
def test_min_channels_format(min_channels_answer):
    import mlsys_lab as ml
    channels_in = ml.variants.draw('min_channels', master={'target_saving': 16}, target_saving=ml.variants.span(14, 24, 0.1))
    from mlsys_lab.course.checks import check_number
    check_number(min_channels_answer, 'min_channels_answer', unit=None)

