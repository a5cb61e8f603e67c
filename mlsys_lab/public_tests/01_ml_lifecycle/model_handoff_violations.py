from otter.test_files import test_case

OK_FORMAT = False

name = "model_handoff_violations"
points = 2

@test_case(points=0, hidden=False)
def test_model_handoff_violations_format(model_handoff_violations_answer):
    import mlsys_lab as ml
    handoff_in = ml.variants.draw('model_handoff_violations', master={'accuracy': 0.91, 'accuracy_target': 0.9, 'gpu_hours': 80, 'gpu_hours_budget': 100, 'model_mb': 350}, accuracy=ml.variants.span(0.86, 0.95, 0.01), accuracy_target=ml.variants.choose(0.88, 0.9, 0.92), gpu_hours=ml.variants.span(60, 140, 10), gpu_hours_budget=ml.variants.choose(80, 100, 120), model_mb=ml.variants.span(150, 400, 25))
    from mlsys_lab.course.checks import check_selection
    check_selection(model_handoff_violations_answer, 'model_handoff_violations_answer', ['weights', 'training_config', 'experiment_log', 'accuracy', 'training_cost', 'model_size'])

