from otter.test_files import test_case

OK_FORMAT = False

name = "batch_breakeven"
points = 2

@test_case(points=0, hidden=False)
def test_batch_breakeven_format(batch_breakeven_answer):
    import mlsys_lab as ml
    card_in = ml.variants.draw('batch_breakeven', master={'bandwidth_TB_per_s': ml.hardware.H100.memory_bandwidth.to('TB/s').magnitude, 'fp16_peak_TFLOP_per_s': ml.hardware.H100.peak('fp16').to('TFLOP/s').magnitude}, bandwidth_TB_per_s=ml.variants.span(2, 8, 0.2), fp16_peak_TFLOP_per_s=ml.variants.span(505, 2495, 10))
    from mlsys_lab.course.checks import check_number
    check_number(batch_breakeven_answer, 'batch_breakeven_answer', unit=None)

