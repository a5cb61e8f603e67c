from otter.test_files import test_case

OK_FORMAT = False

name = "fleet_size"
points = 2

@test_case(points=0, hidden=False)
def test_fleet_size_format(fleet_size_answer):
    import mlsys_lab as ml
    pool_in = ml.variants.draw('fleet_size', master={'mttf_years': 3.51}, mttf_years=ml.variants.span(1.51, 4.99, 0.02))
    from mlsys_lab.course.checks import check_number
    check_number(fleet_size_answer, 'fleet_size_answer')

