from otter.test_files import test_case

OK_FORMAT = False

name = "npu_upgrade"
points = 2

@test_case(points=0, hidden=False)
def test_npu_upgrade_format(npu_upgrade_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(npu_upgrade_answer, 'npu_upgrade_answer')

