from otter.test_files import test_case

OK_FORMAT = False

name = "pipeline_evidence"
points = 1

@test_case(points=0, hidden=False)
def test_pipeline_evidence_format(pipeline_evidence_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(pipeline_evidence_answer, 'pipeline_evidence_answer')

