from otter.test_files import test_case

OK_FORMAT = False

name = "audit_lever"
points = 2

@test_case(points=0, hidden=False)
def test_audit_lever_format(audit_lever_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(audit_lever_answer, 'audit_lever_answer')

