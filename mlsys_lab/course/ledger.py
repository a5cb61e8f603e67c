"""The figure ledger: every worked number of both chapters, recomputed by the calculators.

Each :class:`Figure` pairs a value the chapter prints (``printed``) with the value the
course's calculators produce from the chapter's inputs (``computed``; always the result
of calling :mod:`mlsys_lab` functions on :mod:`mlsys_lab.constants`, never typed in).
``tolerance`` is relative: tight (0.001) where the chapter prints an exact result, and
half a unit of the last printed digit where it rounds (the description says so).
``printed_by`` is ``"chapter"`` for a figure the chapter prints, and ``"course example"``
for the few rows whose inputs or result the course supplies because the chapter gives no
number (the ``printed`` column then holds the course's own worked value).

``FIGURES`` is built on first access. From a shell::

    python -m mlsys_lab.ledger            # aligned table
    python -m mlsys_lab.ledger --json     # JSON list of dicts (the Figure fields)
    python -m mlsys_lab.ledger --check    # table, exit status 1 if any figure is off
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict, dataclass
from typing import Any, Sequence

__all__ = [
    "Figure",
    "build_figures",
    "figures",
    "FIGURES",  # noqa: F822 -- built on first access (module __getattr__)
    "table",
    "main",
    "CHAPTER",
    "COURSE_EXAMPLE",
]

EXACT = 0.001  # relative tolerance for figures the chapter states without rounding
CHAPTER, COURSE_EXAMPLE = "chapter", "course example"


@dataclass(frozen=True)
class Figure:
    """One reproduced figure (see the module docstring for the field meanings)."""

    id: str
    chapter: str
    section: str
    description: str
    computed: float
    unit: str
    printed: float
    tolerance: float
    printed_by: str = "chapter"

    @property
    def relative_error(self) -> float:
        if self.printed == 0:
            return abs(self.computed)
        return abs(self.computed - self.printed) / abs(self.printed)

    @property
    def ok(self) -> bool:
        return abs(self.computed - self.printed) <= self.tolerance * abs(self.printed)


def _rounded(printed: float, decimals: int) -> float:
    """Relative tolerance for a value printed with ``decimals`` decimal places."""
    return 0.5 * 10.0 ** (-decimals) / abs(printed) * 1.0001


def _m(q: Any, unit: str | None = None) -> float:
    """Magnitude of a quantity (optionally converted), or the float itself."""
    if hasattr(q, "magnitude"):
        return float(q.to(unit).magnitude if unit else q.magnitude)
    return float(q)


def build_figures() -> list[Figure]:
    """Recompute every ledger figure from the calculators and the chapter constants."""
    from ..facts import constants as C
    from ..facts import hardware
    from ..science import (
        amdahl,
        architecture,
        bandwidth,
        contracts,
        economics,
        energy,
        feedback,
        iteration,
        latency,
        locality,
        precision,
        propagation,
        reliability,
        roofline,
        screening,
        search,
        storage,
        survey,
        token_cost,
    )
    from ..units import Q_

    out: list[Figure] = []

    def add(
        id_: str,
        chapter: str,
        section: str,
        description: str,
        computed: Any,
        unit: str,
        printed: float,
        tolerance: float = EXACT,
        printed_by: str = CHAPTER,
    ) -> None:
        out.append(
            Figure(
                id_, chapter, section, description, float(computed), unit, float(printed), float(tolerance), printed_by
            )
        )

    wf, cc = "ml_workflow", "conclusion"

    # ---------------------------------------------------------------- ML Workflow
    s = "§ML Lifecycle, quantifying the ML lifecycle"
    add(
        "wf_survey_data_share",
        wf,
        s,
        "Survey answers naming data cleaning (60%) or data collection (19%) as the biggest time sink, combined",
        100 * survey.data_work_share(C.SURVEY_CLEANING_SHARE, C.SURVEY_COLLECTION_SHARE),
        "%",
        79,
    )

    s = "§ML Lifecycle, Napkin Math 1.1 (iteration tax)"
    add(
        "wf_iteration_small_experiments",
        wf,
        s,
        "One-hour experiments that fit in 26 weeks at 168 h/week",
        iteration.experiments_in_window(C.ITERATION_WINDOW, C.SMALL_EXPERIMENT_DURATION),
        "experiments",
        4368,
    )
    add(
        "wf_iteration_large_experiments",
        wf,
        s,
        "One-week experiments that fit in 26 weeks",
        iteration.experiments_in_window(C.ITERATION_WINDOW, C.LARGE_EXPERIMENT_DURATION),
        "experiments",
        26,
    )
    add(
        "wf_iteration_large_accuracy",
        wf,
        s,
        "Large model: 95% plus 26 iterations of 0.15 points",
        100
        * iteration.accuracy_after(
            C.LARGE_START_ACCURACY,
            C.LARGE_GAIN_PER_ITERATION,
            iteration.experiments_in_window(C.ITERATION_WINDOW, C.LARGE_EXPERIMENT_DURATION),
        ),
        "%",
        98.9,
    )
    add(
        "wf_iteration_small_uncapped",
        wf,
        s,
        "Small model: 90% plus 100 effective iterations of 0.1 points, before the ceiling",
        100
        * iteration.accuracy_after(C.SMALL_START_ACCURACY, C.SMALL_GAIN_PER_ITERATION, C.SMALL_EFFECTIVE_ITERATIONS),
        "%",
        100,
    )
    add(
        "wf_iteration_small_capped",
        wf,
        s,
        "Small model after applying the 99% ceiling",
        100
        * iteration.accuracy_after(
            C.SMALL_START_ACCURACY, C.SMALL_GAIN_PER_ITERATION, C.SMALL_EFFECTIVE_ITERATIONS, ceiling=C.ACCURACY_CEILING
        ),
        "%",
        99,
    )

    s = "§ML vs. traditional software, footnote on locality of reference"
    tiers = {t.tier: t for t in locality.memory_tier_penalties()}
    pen = {"dram": tiers["DRAM"], "nvme": tiers["NVMe SSD"]}
    add(
        "wf_locality_dram_low",
        wf,
        s,
        "DRAM access (50 ns) in L1 hits (1 ns), low end",
        pen["dram"].penalty_low,
        "x",
        50,
    )
    add("wf_locality_dram_high", wf, s, "DRAM access (100 ns) in L1 hits, high end", pen["dram"].penalty_high, "x", 100)
    add("wf_locality_nvme_low", wf, s, "NVMe read (10 us) in L1 hits, low end", pen["nvme"].penalty_low, "x", 10_000)
    add(
        "wf_locality_nvme_high",
        wf,
        s,
        "NVMe read (100 us) in L1 hits, high end",
        pen["nvme"].penalty_high,
        "x",
        100_000,
    )

    s = "§Data Collection, Napkin Math 1.2 (bandwidth vs. compute)"
    clinic = bandwidth.clinic_bandwidth()
    add(
        "wf_clinic_daily_volume",
        wf,
        s,
        "150 patients x 10 photos x 5 MB per day",
        _m(clinic.daily_volume, "GB"),
        "GB",
        7.5,
    )
    add(
        "wf_clinic_uplink_rate",
        wf,
        s,
        "2 Mb/s uplink expressed in megabytes per second",
        _m(clinic.uplink_rate, "MB/s"),
        "MB/s",
        0.25,
    )
    add("wf_clinic_upload_seconds", wf, s, "7,500 MB over a 0.25 MB/s uplink", _m(clinic.upload_time, "s"), "s", 30_000)
    add(
        "wf_clinic_upload_hours",
        wf,
        s,
        "Upload time in hours (30,000 s; the self-check prints 8.3 h, one decimal)",
        _m(clinic.upload_hours, "hour"),
        "h",
        8.3,
        _rounded(8.3, 1),
    )
    add(
        "wf_clinic_day_share",
        wf,
        s,
        "Upload time as a share of the 8-hour clinic day (printed to one decimal)",
        100 * clinic.share_of_day,
        "%",
        104.2,
        _rounded(104.2, 1),
    )
    add(
        "wf_edge_summary_reduction",
        wf,
        s,
        "Raw photos (10 x 5 MB) against one 10 KB summary per patient",
        bandwidth.edge_summary_reduction(),
        "x",
        5_000,
    )

    s = "§Data Collection, self-check on raw vs. summarized ingest"
    ingest = bandwidth.compare_ingest()
    add("wf_weekly_raw_ingest", wf, s, "50,000 raw photos x 25 MB per week", _m(ingest.raw, "GB"), "GB", 1_250)
    add(
        "wf_weekly_hybrid_ingest",
        wf,
        s,
        "50,000 summaries x 50 KB plus a 10% raw sample at 25 MB",
        _m(ingest.hybrid, "GB"),
        "GB",
        127.5,
    )
    add(
        "wf_weekly_ingest_reduction",
        wf,
        s,
        "Raw against summarized ingest (9.8; the chapter says 'about 10x', tolerance 2.5%)",
        ingest.reduction,
        "x",
        10,
        0.025,
    )

    s = "§Data Collection, footnote on tiered storage"
    add(
        "wf_storage_tier_ratio",
        wf,
        s,
        "NVMe ($0.10/GB-month) over object storage ($0.023/GB-month), printed to one decimal",
        storage.tier_price_ratio("hot", "warm"),
        "x",
        4.3,
        _rounded(4.3, 1),
    )

    s = "§Model Development, footnote on hyperparameters"
    add(
        "wf_grid_search_runs",
        wf,
        s,
        "Grid search over 5 hyperparameters with 4 values each",
        search.grid_runs(C.GRID_VALUES_PER_HYPERPARAMETER, C.GRID_HYPERPARAMETERS),
        "runs",
        1_024,
    )
    add(
        "wf_ensemble_cost",
        wf,
        "§Model Development, footnote on ensemble learning",
        "Inference memory and compute of a 50-model ensemble relative to one model",
        architecture.ensemble_cost(C.ENSEMBLE_MODELS_HIGH),
        "x",
        50,
    )
    add(
        "wf_resnet152_vs_mobilenetv2",
        wf,
        "§Model Development, self-check on the O term",
        "ResNet-152 variant (11 G) over MobileNetV2 (300 M multiply-accumulates; the chapter "
        "writes GFLOPs/MFLOPs, the ratio is the same either way); printed as ~37x (rounded to "
        "a whole number)",
        architecture.ops_ratio(C.RESNET152_MACS, C.MOBILENETV2_MACS),
        "x",
        37,
        _rounded(37, 0),
    )

    add(
        "wf_ppv_low_prevalence",
        wf,
        "§Model Development, footnote on medical AI performance metrics",
        "PPV of a 95%-sensitive, 95%-specific test at 5% prevalence",
        100 * screening.ppv(C.PPV_EXAMPLE_SENSITIVITY, C.PPV_EXAMPLE_SPECIFICITY, C.PPV_EXAMPLE_PREVALENCE),
        "%",
        50,
    )

    s = "§Deployment and Integration, Napkin Math 1.3 (cloud vs. edge economics)"
    deal = economics.compare_deployments()
    add(
        "wf_images_per_month",
        wf,
        s,
        "500 clinics x 50 patients x 365 days / 12 (760,417; printed as 'about 760,000')",
        deal.images_per_month,
        "images/month",
        760_000,
        0.001,
    )
    add(
        "wf_cloud_inference_cost",
        wf,
        s,
        "9,125,000 images a year at $0.01",
        _m(deal.cloud.inference, "USD/year"),
        "USD/year",
        91_250,
    )
    add(
        "wf_cloud_total_cost",
        wf,
        s,
        "Cloud inference plus the $45,000 network bill",
        _m(deal.cloud.total, "USD/year"),
        "USD/year",
        136_250,
    )
    add("wf_edge_capex", wf, s, "500 clinics x one $500 device", _m(deal.edge.capex, "USD"), "USD", 250_000)
    add(
        "wf_edge_inference_cost",
        wf,
        s,
        "9,125,000 images a year at $0.001 (electricity)",
        _m(deal.edge.inference, "USD/year"),
        "USD/year",
        9_125,
    )
    add(
        "wf_edge_annual_cost",
        wf,
        s,
        "Edge electricity plus $25,000 maintenance",
        _m(deal.edge.annual, "USD/year"),
        "USD/year",
        34_125,
    )
    add(
        "wf_edge_payback",
        wf,
        s,
        "$250,000 / ($136,250 - $34,125 per year) = 2.448 years, printed as ~2.4: rounded "
        "once to one decimal it is 2.4 (2.45 is the two-decimal display; rounding that "
        "again would wrongly give 2.5)",
        _m(deal.payback, "year"),
        "years",
        2.4,
        _rounded(2.4, 1),
    )

    s = "§Deployment and Integration, self-check on the 100 ms budget"
    total = latency.serial_latency(C.DR_MODEL_LATENCY, C.DR_CLOUD_ROUNDTRIP, C.DR_INTEGRATION_LATENCY)
    add(
        "wf_latency_total",
        wf,
        s,
        "15 ms model + 60 ms cloud round-trip + 40 ms integration",
        _m(total, "ms"),
        "ms",
        115,
    )
    add(
        "wf_latency_over_budget",
        wf,
        s,
        "The same request measured against its 100 ms budget (utilization, 115/100)",
        100 * latency.budget_check(total, C.DR_LATENCY_BUDGET).utilization,
        "% of budget",
        115,
    )
    add(
        "wf_fixed_overhead_before",
        wf,
        s,
        "Fixed overhead L_lat: round-trip plus integration",
        _m(latency.serial_latency(C.DR_CLOUD_ROUNDTRIP, C.DR_INTEGRATION_LATENCY), "ms"),
        "ms",
        100,
    )
    add(
        "wf_fixed_overhead_cached",
        wf,
        s,
        "Fixed overhead once a local feature cache removes the round-trip (printed '~40 ms')",
        _m(latency.serial_latency(C.DR_INTEGRATION_LATENCY), "ms"),
        "ms",
        40,
    )
    add(
        "wf_latency_with_cache",
        wf,
        s,
        "Request latency with the local feature cache: 15 ms model + 40 ms integration. The "
        "chapter says only that the path falls under the 100 ms budget; course example",
        _m(latency.serial_latency(C.DR_MODEL_LATENCY, C.DR_INTEGRATION_LATENCY), "ms"),
        "ms",
        55,
        printed_by=COURSE_EXAMPLE,
    )

    s = "§Systems Thinking, constraint propagation principle"
    add(
        "wf_propagation_stage5",
        wf,
        s,
        "Cost multiplier 2^(5-1) for a discovery at deployment",
        propagation.cost_multiplier(5),
        "x",
        16,
    )
    add(
        "wf_propagation_stage6",
        wf,
        s,
        "Cost multiplier 2^(6-1) for a discovery at monitoring",
        propagation.cost_multiplier(6),
        "x",
        32,
    )
    add(
        "wf_propagation_stage2_to_6",
        wf,
        "§Summary, self-check on linear vs. exponential cost",
        "A stage-6 discovery relative to a stage-2 one: 2^(6-2)",
        propagation.stage_ratio(2, 6),
        "x",
        16,
    )
    add(
        "wf_late_discovery_days",
        wf,
        "§Systems Thinking, self-check on a stage-6 fairness gap",
        "A one-engineer-day decision skipped at stage 1 and found at stage 6 ('roughly a month')",
        _m(contracts.late_discovery_cost(6, 1, Q_(1, "day")), "day"),
        "days",
        32,
    )

    s = "§Lifecycle Stages, Example 1.1 (auditing stage transitions)"
    audit = contracts.audit_handoff(1, contracts.EXAMPLE_1_1_HANDOFF)
    add(
        "wf_audit_violations",
        wf,
        s,
        "Violations found auditing a Problem Definition with no paradigm and no latency or memory targets",
        len(audit.violations),
        "violations",
        2,
    )
    add(
        "wf_audit_slip_cost",
        wf,
        s,
        "Cost of letting the missing paradigm surface at deployment (stage 5) instead of now",
        audit.cost_if_found_at(5),
        "x",
        16,
    )

    # ---------------------------------------------------------------- Conclusion
    s = "§Thirteen Quantitative Invariants, Napkin Math 1.1 (cost of a token)"
    tok = token_cost.decode_token_cost(C.LLAMA2_70B_PARAMS, "fp16", hardware.H100)
    tok4 = token_cost.decode_token_cost(C.LLAMA2_70B_PARAMS, "int4", hardware.H100)
    add(
        "cc_token_bytes",
        cc,
        s,
        "70 billion parameters x 2 bytes (FP16) moved per token: more than one H100's 80 GiB "
        "(85.9 GB), so the weights need two cards",
        _m(tok.bytes_moved, "GB"),
        "GB",
        140,
    )
    add("cc_token_flops", cc, s, "2 x P operations per token", _m(tok.flops, "GFLOP"), "GFLOP", 140)
    add(
        "cc_token_memory_time",
        cc,
        s,
        "140 GB at one H100's 3.35 TB/s (printed to one decimal): the weight read priced at "
        "one card's bandwidth. On the two H100s the weights need, aggregate bandwidth halves "
        "it to 20.9 ms and the ratio below is unchanged",
        _m(tok.memory_time, "ms"),
        "ms",
        41.8,
        _rounded(41.8, 1),
    )
    add(
        "cc_token_compute_time",
        cc,
        s,
        "140 GFLOP at one H100's 989 TFLOP/s (printed to two decimals; 0.07 ms on two cards)",
        _m(tok.compute_time, "ms"),
        "ms",
        0.14,
        _rounded(0.14, 2),
    )
    add(
        "cc_token_ratio",
        cc,
        s,
        "Memory time over compute time (printed to one decimal); the same on 1 or 2 H100s, "
        "since bandwidth and compute both scale with the card count",
        tok.ratio,
        "x",
        295.2,
        _rounded(295.2, 1),
    )
    add(
        "cc_token_intensity",
        cc,
        s,
        "Arithmetic intensity of batch-1 FP16 decode ('~1')",
        _m(tok.arithmetic_intensity, "FLOP/byte"),
        "FLOP/byte",
        1,
    )
    add(
        "cc_token_ratio_int4",
        cc,
        s,
        "Memory/compute ratio with INT4 weights, compute still at the FP16 peak (73.8, printed as 'about 74x')",
        tok4.ratio,
        "x",
        74,
        _rounded(74, 0),
    )
    add(
        "cc_int4_traffic_cut",
        cc,
        s,
        "Weight traffic reduction from FP16 to INT4",
        precision.memory_ratio("fp16", "int4"),
        "x",
        4,
    )
    add(
        "cc_h100_ridge",
        cc,
        s,
        "H100 ridge point 989 TFLOP/s / 3.35 TB/s (295.2; quoted as ~295 FLOP/byte)",
        _m(roofline.ridge_point(hardware.H100.peak("fp16"), hardware.H100.memory_bandwidth), "FLOP/byte"),
        "FLOP/byte",
        295,
        _rounded(295, 0),
    )

    s = "§Thirteen Quantitative Invariants, principle 7 (energy-movement invariant)"
    add(
        "cc_energy_dram_vs_fp32",
        cc,
        s,
        "32-bit DRAM access (640 pJ, i.e. 160 pJ/byte) over an FP32 operation (3.7 pJ), printed as a whole number",
        energy.movement_vs_compute("fp32"),
        "x",
        173,
        _rounded(173, 0),
    )
    add(
        "cc_energy_dram_vs_fp16",
        cc,
        s,
        "32-bit DRAM access (640 pJ) over an FP16 operation (1.1 pJ), printed as a whole number",
        energy.movement_vs_compute("fp16"),
        "x",
        582,
        _rounded(582, 0),
    )

    s = "§Synthesizing ML Systems, MobileNetV2 journey table"
    add(
        "cc_depthwise_savings",
        cc,
        s,
        "Standard over depthwise separable convolution, 3x3 kernel, 256 output channels (one decimal)",
        architecture.depthwise_separable_savings(C.DW_KERNEL_SIZE, C.DW_OUTPUT_CHANNELS),
        "x",
        8.7,
        _rounded(8.7, 1),
    )
    add(
        "cc_resnet50_vs_mobilenetv2",
        cc,
        s,
        "ResNet-50 (4.1 G) over MobileNetV2 (300 M multiply-accumulates; the ratio is the same in FLOPs), one decimal",
        architecture.ops_ratio(C.RESNET50_MACS, C.MOBILENETV2_MACS),
        "x",
        13.7,
        _rounded(13.7, 1),
    )
    add(
        "cc_int8_vs_fp32",
        cc,
        s,
        "Memory reduction of INT8 against FP32",
        precision.memory_ratio("fp32", "int8"),
        "x",
        4,
    )
    add(
        "cc_int8_vs_fp16",
        cc,
        s,
        "Memory reduction of INT8 against FP16",
        precision.memory_ratio("fp16", "int8"),
        "x",
        2,
    )

    s = "§Future Directions, applying principles to emerging deployment contexts"
    npu = hardware.compare_devices(hardware.H100, hardware.MOBILE_NPU, "int8")
    add(
        "cc_npu_int8_gap",
        cc,
        s,
        "H100 INT8 peak (1,979 TOPS) over the mobile NPU's (35 TOPS)",
        npu.peak,
        "x",
        56.5,
        _rounded(56.5, 1),
    )
    add(
        "cc_npu_memory_gap",
        cc,
        s,
        "H100 memory (80 GiB) over the phone's 8 GB ('memory headroom', one decimal)",
        npu.memory_capacity,
        "x",
        10.7,
        _rounded(10.7, 1),
    )
    add(
        "cc_npu_power_gap",
        cc,
        s,
        "H100 700 W over the mobile 3 W envelope (one decimal)",
        npu.power,
        "x",
        233.3,
        _rounded(233.3, 1),
    )

    add(
        "cc_fleet_mtbf",
        cc,
        "§Journey Forward, horizon note 'From node to fleet'",
        "5.7-year GPU MTTF over a 1,024-GPU pool (one decimal)",
        _m(reliability.fleet_mtbf(C.GPU_MTTF, C.FLEET_GPUS), "hour"),
        "h",
        48.8,
        _rounded(48.8, 1),
    )

    s = "§Fallacies and Pitfalls, 'a single optimized pipeline stage makes the system fast'"
    add(
        "cc_amdahl_speedup",
        cc,
        s,
        "10x kernel speedup on 10% of the request (1.099, printed as 1.1x)",
        amdahl.amdahl_speedup(C.AMDAHL_ACCELERATED_FRACTION, C.AMDAHL_KERNEL_SPEEDUP),
        "x",
        1.1,
        _rounded(1.1, 1),
    )
    add(
        "cc_amdahl_limit",
        cc,
        s,
        "Infinite kernel speedup on 10% of the request ('near 1.11x')",
        amdahl.amdahl_limit(C.AMDAHL_ACCELERATED_FRACTION),
        "x",
        1.11,
        _rounded(1.11, 2),
    )

    add(
        "cc_tail_ratio",
        cc,
        "§Principles in Practice, self-check on the latency budget",
        "P99 of 2,000 ms over a 50 ms mean",
        latency.tail_ratio(C.TAIL_P99_LATENCY, C.TAIL_MEAN_LATENCY),
        "x",
        40,
    )
    add(
        "cc_mixed_precision",
        cc,
        "§Principles in Practice, engineering for scale",
        "Bytes moved drop when every tensor goes from FP32 to FP16 (halved)",
        precision.mixed_precision_reduction(1.0, "fp32", "fp16"),
        "x",
        2,
    )

    add(
        "cc_bias_feedback_example",
        cc,
        "§Thirteen Quantitative Invariants, principle 13 (bias feedback invariant)",
        "Delta(k) = Delta(0) * alpha^k with the course's alpha = 1.5 (the chapter gives no "
        "alpha): a 1-point gap after 4 cycles is 1.5^4 = 5.0625 points; course example",
        feedback.bias_gap(1.0, 1.5, 4),
        "points",
        5.0625,
        printed_by=COURSE_EXAMPLE,
    )
    add(
        "cc_composed_request_latency",
        cc,
        "§Future Directions, system composition",
        "Serial stages add and parallel tools take the max. The chapter gives no numbers; "
        "course example (notebook 06, §2.4): retrieval 40 + planner 120 + max(tools 180, "
        "250) + generator 600 + verifier 90 + orchestration 30 ms = 1,130 ms",
        _m(latency.composed_latency(serial=[40, 120, 600, 90], parallel=[180, 250], orchestration=30).total, "ms"),
        "ms",
        1_130,
        printed_by=COURSE_EXAMPLE,
    )
    best = latency.best_within_budget(
        [("A", C.FALLACY_A_ACCURACY, C.FALLACY_A_LATENCY), ("B", C.FALLACY_B_ACCURACY, C.FALLACY_B_LATENCY)],
        C.DR_LATENCY_BUDGET,
    )
    add(
        "cc_single_metric_fallacy",
        cc,
        "§Fallacies and Pitfalls, 'a single accuracy metric captures model quality'",
        "Accuracy of the best model that meets a tail budget: 95% at 500 ms vs. 93% at 50 ms. "
        "The chapter names no budget; the course uses the DR case's 100 ms",
        100 * best.accuracy if best is not None else math.nan,
        "%",
        93,
    )

    return out


_FIGURES_CACHE: list[Figure] | None = None


def figures() -> list[Figure]:
    """The ledger (built once, then cached)."""
    global _FIGURES_CACHE
    if _FIGURES_CACHE is None:
        _FIGURES_CACHE = build_figures()
    return _FIGURES_CACHE


def __getattr__(name: str) -> Any:
    if name == "FIGURES":
        return figures()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _fmt(value: float) -> str:
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
        return text
    return f"{value:.4g}"


def table(items: Sequence[Figure] | None = None) -> str:
    """The ledger as an aligned text table."""
    rows = [("id", "chapter", "computed", "printed", "unit", "rel.err", "tol", "ok")]
    items = list(items if items is not None else figures())
    for f in items:
        printed = _fmt(f.printed) + ("*" if f.printed_by == COURSE_EXAMPLE else "")
        rows.append(
            (
                f.id,
                f.chapter,
                _fmt(f.computed),
                printed,
                f.unit,
                f"{f.relative_error:.2e}",
                f"{f.tolerance:.1e}",
                "yes" if f.ok else "NO",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {2, 3, 5, 6}
    lines = []
    for j, r in enumerate(rows):
        cells = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    if any(f.printed_by == COURSE_EXAMPLE for f in items):
        lines.append(
            "* course example: the chapter prints no number here; the value is the course's own worked example"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlsys_lab.ledger", description="Print the chapter figure ledger.")
    parser.add_argument("--json", action="store_true", help="print a JSON list of figures")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 if any figure is outside its tolerance"
    )
    args = parser.parse_args(argv)
    items = figures()
    if args.json:
        json.dump([asdict(f) for f in items], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(table(items))
        bad = [f.id for f in items if not f.ok]
        print(
            f"\n{len(items)} figures, {len(items) - len(bad)} within tolerance"
            + (f"; off: {', '.join(bad)}" if bad else "")
        )
    if args.check and any(not f.ok for f in items):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
