from otter.test_files import test_case

OK_FORMAT = False

name = "schema_fix_days"
points = 2

@test_case(points=0, hidden=False)
def test_schema_fix_days_format(schema_fix_days_answer):
    from mlsys_lab.checks import check_number
    check_number(schema_fix_days_answer, 'schema_fix_days_answer', unit='day')

