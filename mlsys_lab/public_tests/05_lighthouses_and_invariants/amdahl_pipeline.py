from otter.test_files import test_case

OK_FORMAT = False

name = "amdahl_pipeline"
points = 2

@test_case(points=0, hidden=False)
def test_amdahl_pipeline_format(amdahl_pipeline_answer):
    from mlsys_lab.checks import check_number
    check_number(amdahl_pipeline_answer, 'amdahl_pipeline_answer', unit=None)

