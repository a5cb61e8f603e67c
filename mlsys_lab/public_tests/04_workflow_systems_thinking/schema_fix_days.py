from otter.test_files import test_case

OK_FORMAT = False

name = "schema_fix_days"
points = 2

@test_case(points=0, hidden=False)
def test_schema_fix_days_format(schema_fix_days_answer):
    import mlsys_lab as ml
    schema_in = ml.variants.draw('schema_fix_days', master={'check_days': 3}, check_days=ml.variants.span(1, 12, 0.1))
    from mlsys_lab.checks import check_number
    check_number(schema_fix_days_answer, 'schema_fix_days_answer', unit='day')

