from otter.test_files import test_case

OK_FORMAT = False

name = "cheap_labels_worth_it"
points = 1

@test_case(points=0, hidden=False)
def test_cheap_labels_worth_it_format(cheap_labels_worth_it_answer):
    from mlsys_lab.checks import check_bool
    check_bool(cheap_labels_worth_it_answer, 'cheap_labels_worth_it_answer')

