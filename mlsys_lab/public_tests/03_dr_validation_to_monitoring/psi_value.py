from otter.test_files import test_case

OK_FORMAT = False

name = "psi_value"
points = 1

@test_case(points=0, hidden=False)
def test_psi_value_format(psi_value_answer):
    import mlsys_lab as ml
    psi_in = ml.variants.draw('psi_value', master={'bin1_pct': 5, 'bin2_pct': 14, 'bin4_pct': 26, 'bin5_pct': 19}, bin1_pct=ml.variants.span(2, 19), bin2_pct=ml.variants.span(8, 24), bin4_pct=ml.variants.span(10, 26), bin5_pct=ml.variants.span(2, 21))
    validation_shares = [0.1, 0.2, 0.4, 0.2, 0.1]
    this_week_shares = [psi_in['bin1_pct'] / 100, psi_in['bin2_pct'] / 100, (100 - sum(psi_in.values())) / 100, psi_in['bin4_pct'] / 100, psi_in['bin5_pct'] / 100]
    from mlsys_lab.course.checks import check_number
    check_number(psi_value_answer, 'psi_value_answer')

