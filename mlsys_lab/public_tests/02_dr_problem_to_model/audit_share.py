from otter.test_files import test_case

OK_FORMAT = False

name = "audit_share"
points = 1

@test_case(points=0, hidden=False)
def test_audit_share_format(audit_share_answer):
    from mlsys_lab.course.checks import check_number
    check_number(audit_share_answer, 'audit_share_answer')

