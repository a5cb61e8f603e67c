from otter.test_files import test_case

OK_FORMAT = False

name = "alerts_fired"
points = 2

@test_case(points=0, hidden=False)
def test_alerts_fired_format(alerts_fired_answer):
    import mlsys_lab as ml
    dashboard_in = ml.variants.draw('alerts_fired', master={'sensitivity_7d': 0.885, 'specificity': 0.81, 'mean_confidence': 0.79, 'referral_rate': 0.135, 'quality_rejection_rate': 0.22, 'latency_p95': 72, 'queue_depth': 18, 'error_rate': 0.0012, 'psi': 0.16}, sensitivity_7d=ml.variants.choose(0.883, 0.885, 0.888, 0.891, 0.894, 0.897), specificity=ml.variants.choose(0.79, 0.81, 0.83, 0.85), mean_confidence=ml.variants.choose(0.76, 0.78, 0.79, 0.8, 0.83, 0.84, 0.86), referral_rate=ml.variants.choose(0.095, 0.1, 0.11, 0.128, 0.135, 0.145, 0.15), quality_rejection_rate=ml.variants.choose(0.22, 0.24, 0.26, 0.28, 0.31), latency_p95=ml.variants.choose(64, 72, 85, 94, 108, 117, 126), queue_depth=ml.variants.choose(12, 18, 27, 38, 57, 66, 74), error_rate=ml.variants.choose(0.0004, 0.0007, 0.0012, 0.0018, 0.0025), psi=ml.variants.choose(0.11, 0.13, 0.14, 0.16, 0.17, 0.19))
    dashboard_baselines = {'mean_confidence': 0.9, 'referral_rate': 0.12}
    from mlsys_lab.course.checks import check_selection
    check_selection(alerts_fired_answer, 'alerts_fired_answer', ['sensitivity_7d', 'specificity', 'mean_confidence', 'referral_rate', 'quality_rejection_rate', 'latency_p95', 'queue_depth', 'error_rate', 'psi'])

