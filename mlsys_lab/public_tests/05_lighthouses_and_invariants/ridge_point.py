from otter.test_files import test_case

OK_FORMAT = False

name = "ridge_point"
points = 1

@test_case(points=0, hidden=False)
def test_ridge_point_format(ridge_point_answer):
    import mlsys_lab as ml
    edge_in = ml.variants.draw('ridge_point', master={'int8_TOPS': 90, 'bandwidth_GB_per_s': 256}, int8_TOPS=ml.variants.span(82, 98), bandwidth_GB_per_s=ml.variants.span(232, 280, 2))
    from mlsys_lab.course.checks import check_number
    check_number(ridge_point_answer, 'ridge_point_answer', unit='FLOP/byte')

