from otter.test_files import test_case

OK_FORMAT = False

name = "device_ratio"
points = 2

@test_case(points=0, hidden=False)
def test_device_ratio_format(device_ratio_answer):
    import mlsys_lab as ml
    chip_in = ml.variants.draw('device_ratio', master={'int8_TOPS': 4, 'bandwidth_GB_per_s': 17, 'memory_GB': 2, 'power_W': 2.5}, int8_TOPS=ml.variants.span(1, 16, 0.1), bandwidth_GB_per_s=ml.variants.span(8, 64), memory_GB=ml.variants.choose(0.5, 1, 2, 4, 8), power_W=ml.variants.span(1, 10, 0.5))
    from mlsys_lab.course.checks import check_number
    check_number(device_ratio_answer, 'device_ratio_answer')

