from otter.test_files import test_case

OK_FORMAT = False

name = "payback_years"
points = 1

@test_case(points=0, hidden=False)
def test_payback_years_format(payback_years_answer):
    import mlsys_lab as ml
    payback_in = ml.variants.draw('payback_years', master={'clinics': 120, 'patients_per_day': 80, 'cloud_usd_per_image': 0.015, 'cloud_network_usd_per_year': 20000, 'device_usd': 900, 'edge_usd_per_image': 0.002, 'maintenance_usd_per_year': 12000}, clinics=ml.variants.span(100, 160, 10), patients_per_day=ml.variants.span(80, 120, 5), cloud_usd_per_image=ml.variants.choose(0.014, 0.015, 0.016, 0.018), cloud_network_usd_per_year=ml.variants.span(20000, 26000, 2000), device_usd=ml.variants.span(700, 900, 50), edge_usd_per_image=ml.variants.choose(0.0015, 0.002), maintenance_usd_per_year=ml.variants.span(8000, 14000, 2000))
    from mlsys_lab.course.checks import check_number
    check_number(payback_years_answer, 'payback_years_answer', unit='year')

