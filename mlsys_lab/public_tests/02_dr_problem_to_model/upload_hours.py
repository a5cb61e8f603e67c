from otter.test_files import test_case

OK_FORMAT = False

name = "upload_hours"
points = 1

@test_case(points=0, hidden=False)
def test_upload_hours_format(upload_hours_answer):
    import mlsys_lab as ml
    upload_in = ml.variants.draw('upload_hours', master={'patients': 80, 'photos': 8, 'photo_mb': 12, 'uplink_mbps': 10, 'open_hours': 9}, patients=ml.variants.span(80, 150, 5), photos=ml.variants.span(8, 12), photo_mb=ml.variants.span(12, 20), uplink_mbps=ml.variants.choose(5, 8, 10, 12, 15, 20, 25, 30), open_hours=ml.variants.choose(8, 9))
    from mlsys_lab.course.checks import check_number
    check_number(upload_hours_answer, 'upload_hours_answer', unit='hour')

