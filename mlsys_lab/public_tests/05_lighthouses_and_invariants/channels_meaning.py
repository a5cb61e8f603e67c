from otter.test_files import test_case

OK_FORMAT = False

name = "channels_meaning"
points = 1

@test_case(points=0, hidden=False)
def test_channels_meaning_format(channels_meaning_answer):
    import mlsys_lab as ml
    from mlsys_lab.course.checks import check_choice
    check_choice(channels_meaning_answer, 'channels_meaning_answer')

