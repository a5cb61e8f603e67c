from otter.test_files import test_case

OK_FORMAT = False

name = "token_memory_ms"
points = 2

@test_case(points=0, hidden=False)
def test_token_memory_ms_format(token_memory_ms_answer):
    from mlsys_lab.checks import check_number
    check_number(token_memory_ms_answer, 'token_memory_ms_answer', unit='ms')

