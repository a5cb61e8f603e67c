from otter.test_files import test_case

OK_FORMAT = False

name = "int8_scope"
points = 1

@test_case(points=0, hidden=False)
def test_int8_scope_format(int8_scope_answer):
    from mlsys_lab.course.checks import check_bool
    check_bool(int8_scope_answer, 'int8_scope_answer')

