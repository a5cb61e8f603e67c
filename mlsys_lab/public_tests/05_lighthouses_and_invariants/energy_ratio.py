from otter.test_files import test_case

OK_FORMAT = False

name = "energy_ratio"
points = 1

@test_case(points=0, hidden=False)
def test_energy_ratio_format(energy_ratio_answer):
    import mlsys_lab as ml
    layer_in = ml.variants.draw('energy_ratio', master={'traffic_MB': 12, 'int8_ops_million': 450}, traffic_MB=ml.variants.span(6, 30, 0.5), int8_ops_million=ml.variants.span(100, 900, 10))
    from mlsys_lab.course.checks import check_number
    check_number(energy_ratio_answer, 'energy_ratio_answer', unit=None)

