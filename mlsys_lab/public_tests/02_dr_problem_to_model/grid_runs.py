from otter.test_files import test_case

OK_FORMAT = False

name = "grid_runs"
points = 1

@test_case(points=0, hidden=False)
def test_grid_runs_format(grid_runs_answer):
    import mlsys_lab as ml
    grid_in = ml.variants.draw('grid_runs', master={'learning_rate_values': 5, 'batch_size_values': 3, 'weight_decay_values': 4, 'augmentation_values': 3, 'resolution_values': 2}, learning_rate_values=ml.variants.span(4, 8), batch_size_values=ml.variants.span(2, 5), weight_decay_values=ml.variants.span(2, 6), augmentation_values=ml.variants.span(2, 4), resolution_values=ml.variants.span(2, 3))
    from mlsys_lab.course.checks import check_number
    check_number(grid_runs_answer, 'grid_runs_answer')

