from otter.test_files import test_case

OK_FORMAT = False

name = "latency_lever"
points = 2

@test_case(points=0, hidden=False)
def test_latency_lever_format(latency_lever_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(latency_lever_answer, 'latency_lever_answer')

