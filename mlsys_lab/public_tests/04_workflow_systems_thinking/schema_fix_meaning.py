from otter.test_files import test_case

OK_FORMAT = False

name = "schema_fix_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_schema_fix_meaning_format(schema_fix_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.checks import check_choice
    check_choice(schema_fix_meaning_answer, 'schema_fix_meaning_answer')

