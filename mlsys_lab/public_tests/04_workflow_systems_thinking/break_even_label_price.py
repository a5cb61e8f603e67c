from otter.test_files import test_case

OK_FORMAT = False

name = "break_even_label_price"
points = 2

@test_case(points=0, hidden=False)
def test_break_even_label_price_format(break_even_label_price_answer):
    import mlsys_lab as ml
    price_in = ml.variants.draw('doubling_net_value', master={'images': 300000, 'last_gain_points': 1.0, 'doubling_ratio': 0.75, 'price_usd': 0.4, 'usd_per_point': 60000}, images=ml.variants.span(200000, 340000, 20000), last_gain_points=ml.variants.span(1.0, 1.4, 0.1), doubling_ratio=ml.variants.choose(0.7, 0.75, 0.8), price_usd=ml.variants.span(0.4, 0.6, 0.05), usd_per_point=ml.variants.span(50000, 70000, 5000))
    from mlsys_lab.course.checks import check_number
    check_number(break_even_label_price_answer, 'break_even_label_price_answer', unit='USD')

