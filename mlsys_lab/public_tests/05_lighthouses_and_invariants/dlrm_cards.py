from otter.test_files import test_case

OK_FORMAT = False

name = "dlrm_cards"
points = 1

@test_case(points=0, hidden=False)
def test_dlrm_cards_format(dlrm_cards_answer):
    import mlsys_lab as ml
    dlrm_in = ml.variants.draw('dlrm_cards', master={'tables_TB': ml.constants.DLRM_EMBEDDING_TABLES.to('TB').magnitude}, tables_TB=ml.variants.span(1, 20, 0.1))
    from mlsys_lab.course.checks import check_number
    check_number(dlrm_cards_answer, 'dlrm_cards_answer', unit=None)

