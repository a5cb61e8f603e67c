from otter.test_files import test_case

OK_FORMAT = False

name = "ks_pvalue"
points = 2

@test_case(points=0, hidden=False)
def test_ks_pvalue_format(ks_pvalue_answer):
    import mlsys_lab as ml
    ks_in = ml.variants.draw('ks_pvalue', master={'n_before': 80, 'n_after': 60, 'seed': 2}, n_before=ml.variants.span(40, 120, 10), n_after=ml.variants.span(30, 90, 10), seed=ml.variants.span(0, 99))
    before_swap, after_swap = ml.telemetry.camera_samples(n_before=ks_in['n_before'], n_after=ks_in['n_after'], seed=ks_in['seed'])
    from mlsys_lab.course.checks import check_number
    check_number(ks_pvalue_answer, 'ks_pvalue_answer')

