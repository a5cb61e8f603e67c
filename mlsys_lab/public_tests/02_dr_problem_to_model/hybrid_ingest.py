from otter.test_files import test_case

OK_FORMAT = False

name = "hybrid_ingest"
points = 2

@test_case(points=0, hidden=False)
def test_hybrid_ingest_format(hybrid_ingest_answer):
    from mlsys_lab.checks import check_number
    check_number(hybrid_ingest_answer, 'hybrid_ingest_answer', unit='GB')

