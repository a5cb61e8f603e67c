from otter.test_files import test_case

OK_FORMAT = False

name = "dlrm_cards"
points = 2

@test_case(points=0, hidden=False)
def test_dlrm_cards_format(dlrm_cards_answer):
    from mlsys_lab.checks import check_number
    check_number(dlrm_cards_answer, 'dlrm_cards_answer', unit=None)

