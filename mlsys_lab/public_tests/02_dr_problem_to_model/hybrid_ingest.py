from otter.test_files import test_case

OK_FORMAT = False

name = "hybrid_ingest"
points = 1

@test_case(points=0, hidden=False)
def test_hybrid_ingest_format(hybrid_ingest_answer):
    import mlsys_lab as ml
    hybrid_in = ml.variants.draw('hybrid_ingest', master={'photos_per_week': 30000}, photos_per_week=ml.variants.span(20000, 60000, 250))
    from mlsys_lab.course.checks import check_number
    check_number(hybrid_ingest_answer, 'hybrid_ingest_answer', unit='GB')

