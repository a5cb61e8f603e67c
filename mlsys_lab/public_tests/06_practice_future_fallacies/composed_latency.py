from otter.test_files import test_case

OK_FORMAT = False

name = "composed_latency"
points = 1

@test_case(points=0, hidden=False)
def test_composed_latency_format(composed_latency_answer):
    import mlsys_lab as ml
    assistant_in = ml.variants.draw('composed_latency', master={'guardrail_ms': 20, 'retriever_ms': 70, 'reranker_ms': 45, 'tool_1_ms': 160, 'tool_2_ms': 230, 'tool_3_ms': 110, 'generator_ms': 520, 'verifier_ms': 80, 'orchestration_ms': 40}, guardrail_ms=ml.variants.span(10, 40, 5), retriever_ms=ml.variants.span(40, 120, 10), reranker_ms=ml.variants.span(20, 80, 5), tool_1_ms=ml.variants.span(80, 300, 10), tool_2_ms=ml.variants.span(80, 300, 10), tool_3_ms=ml.variants.span(80, 300, 10), generator_ms=ml.variants.span(300, 900, 20), verifier_ms=ml.variants.span(40, 150, 10), orchestration_ms=ml.variants.span(40, 100, 10))
    from mlsys_lab.course.checks import check_number
    check_number(composed_latency_answer, 'composed_latency_answer', unit='ms')

