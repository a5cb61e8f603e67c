from otter.test_files import test_case

OK_FORMAT = False

name = "ingest_reduction"
points = 2

@test_case(points=0, hidden=False)
def test_ingest_reduction_format(ingest_reduction_answer):
    from mlsys_lab.checks import check_number
    check_number(ingest_reduction_answer, 'ingest_reduction_answer')

