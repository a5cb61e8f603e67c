from otter.test_files import test_case

OK_FORMAT = False

name = "deploy_diagnosis"
points = 2

@test_case(points=0, hidden=False)
def test_deploy_diagnosis_format(deploy_diagnosis_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(deploy_diagnosis_answer, 'deploy_diagnosis_answer')

