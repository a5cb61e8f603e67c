"""Every calculator family rejects nonsense with an InputError naming the argument, and
every calculator takes a dimensionless quantity wherever it takes a plain ratio or count."""

import dataclasses
import inspect
import math

import numpy as np
import pytest

import mlsys_lab
from mlsys_lab.data import emergence, telemetry
from mlsys_lab.errors import InputError
from mlsys_lab.facts import hardware
from mlsys_lab.science import (
    amdahl,
    architecture,
    bandwidth,
    contracts,
    data_value,
    drift,
    economics,
    energy,
    evaluation,
    feedback,
    iteration,
    latency,
    locality,
    monitoring,
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
from mlsys_lab.units import Q_, is_quantity

CASES = [
    # (label, callable, argument name expected at the start of the message)
    ("roofline negative bandwidth", lambda: roofline.iron_law_time(1, -2, 1, 1), "bandwidth"),
    ("roofline zero bandwidth", lambda: roofline.ridge_point(989, 0), "bandwidth"),
    ("roofline time as data", lambda: roofline.iron_law_time(Q_(1, "s"), 1, 1, 1), "data_volume"),
    ("roofline efficiency 1.5", lambda: roofline.iron_law_time(1, 1, 1, 1, efficiency=1.5), "efficiency"),
    ("token_cost string params", lambda: token_cost.decode_token_cost("70B"), "parameters"),
    ("token_cost zero batch", lambda: token_cost.decode_token_cost(70e9, batch_size=0), "batch_size"),
    (
        "token_cost negative bandwidth",
        lambda: token_cost.decode_token_cost(70e9, bandwidth=Q_(-2, "GB/s")),
        "bandwidth",
    ),
    ("precision unknown", lambda: precision.memory_ratio("fp32", "int3"), "low"),
    ("precision nan params", lambda: precision.model_memory(float("nan")), "parameters"),
    ("propagation stage 0", lambda: propagation.cost_multiplier(0), "stage"),
    ("propagation bool stage", lambda: propagation.cost_multiplier(True), "stage"),
    ("contracts bad stage", lambda: contracts.audit_handoff(9, {}), "stage"),
    ("contracts negative base", lambda: contracts.late_discovery_cost(4, base_cost=-3), "base_cost"),
    ("iteration zero duration", lambda: iteration.experiments_in_window(26, 0), "experiment_duration"),
    ("iteration start 1.5", lambda: iteration.accuracy_after(1.5, 0.001, 3), "start"),
    ("iteration data size as window", lambda: iteration.experiments_in_window(Q_(5, "MB"), 1), "window"),
    ("bandwidth time as size", lambda: bandwidth.daily_data_volume(150, 10, Q_(5, "s")), "photo_size"),
    ("bandwidth negative uplink", lambda: bandwidth.upload_time(7500, Q_(-2, "Mb/s")), "uplink"),
    ("bandwidth zero uplink", lambda: bandwidth.upload_time(7500, 0), "uplink"),
    ("bandwidth fraction 1.5", lambda: bandwidth.hybrid_ingest_volume(10, 50, 25, 1.5), "raw_fraction"),
    ("bandwidth bool patients", lambda: bandwidth.daily_data_volume(True, 10, 5), "patients"),
    ("storage negative size", lambda: storage.storage_cost(-5), "size"),
    ("storage string months", lambda: storage.storage_cost(5, "hot", "a year"), "months"),
    ("economics zero clinics", lambda: economics.images_per_year(0), "clinics"),
    ("economics money as time", lambda: economics.payback_years(Q_(5, "s"), 10, 5), "capex"),
    ("economics negative price", lambda: economics.cloud_annual_cost(price_per_image=-0.01), "price_per_image"),
    ("screening prevalence 1.5", lambda: screening.ppv(0.95, 0.95, 1.5), "prevalence"),
    ("screening string sensitivity", lambda: screening.npv("high", 0.9, 0.1), "sensitivity"),
    ("screening negative count", lambda: screening.sensitivity(-1, 3), "tp"),
    ("evaluation n zero", lambda: evaluation.standard_error(0.9, 0), "n"),
    ("evaluation margin 2", lambda: evaluation.test_set_size(0.9, 2), "margin"),
    ("evaluation labels", lambda: evaluation.expected_calibration_error([0.5], [2]), "correct"),
    ("drift nan", lambda: drift.psi([0.5, float("nan")], [0.5, 0.5]), "expected_shares"),
    ("drift string sample", lambda: drift.ks_statistic("abc", [1, 2]), "sample_a"),
    ("drift alpha 1.5", lambda: drift.ks_critical_value(10, 10, 1.5), "alpha"),
    ("monitoring unknown metric", lambda: monitoring.evaluate_alerts({"latency": 5}), "metrics"),
    ("monitoring string value", lambda: monitoring.evaluate_alerts({"psi": "high"}), "psi"),
    ("monitoring latency as size", lambda: monitoring.evaluate_alerts({"latency_p95": Q_(5, "MB")}), "latency_p95"),
    ("latency negative stage", lambda: latency.serial_latency(15, -60), "stages[1]"),
    ("latency zero budget", lambda: latency.budget_check(115, 0), "budget"),
    ("latency data size as time", lambda: latency.tail_ratio(Q_(2, "GB"), 50), "tail_latency"),
    ("latency availability 1.5", lambda: latency.composed_availability(0.9, 1.5), "availabilities[1]"),
    ("amdahl fraction 1.5", lambda: amdahl.amdahl_speedup(1.5, 10), "fraction"),
    ("amdahl zero factor", lambda: amdahl.amdahl_speedup(0.1, 0), "factor"),
    ("amdahl bool factor", lambda: amdahl.amdahl_speedup(0.1, True), "factor"),
    ("reliability zero devices", lambda: reliability.fleet_mtbf(5.7, 0), "devices"),
    ("reliability negative mttf", lambda: reliability.fleet_mtbf(-5.7, 10), "mttf"),
    ("reliability size as window", lambda: reliability.failure_probability(Q_(1, "GB"), 5.7), "window"),
    ("energy zero op energy", lambda: energy.energy_ratio(640, 0), "compute_energy"),
    ("energy time as energy", lambda: energy.energy_ratio(Q_(1, "s"), 3.7), "movement_energy"),
    ("energy unknown precision", lambda: energy.movement_vs_compute("fp4"), "precision"),
    ("architecture zero channels", lambda: architecture.depthwise_separable_savings(3, 0), "out_channels"),
    ("search grid float", lambda: search.grid_runs(4.5, 5), "values_per_hyperparameter"),
    ("architecture time as ops", lambda: architecture.ops_ratio(Q_(1, "s"), 1), "ops_a"),
    ("feedback alpha zero", lambda: feedback.bias_gap(1, 0, 3), "alpha"),
    ("feedback negative gap", lambda: feedback.bias_gap(-1, 1.5, 3), "initial_gap"),
    ("feedback cycles float", lambda: feedback.bias_gap(1, 1.5, 2.5), "cycles"),
    ("survey share 1.5", lambda: survey.data_work_share(1.5), "shares[0]"),
    ("locality negative latency", lambda: locality.locality_penalty(-50), "access_latency"),
    ("hardware unknown precision", lambda: hardware.H100.ridge_point("fp4"), "precision"),
]


@pytest.mark.parametrize("label, call, arg", CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_named_error(label, call, arg):
    with pytest.raises(InputError) as err:
        call()
    message = str(err.value)
    assert message.startswith(arg + ":"), f"{label}: message {message!r} should start with {arg!r}"
    assert len(message) > len(arg) + 5


def test_input_error_is_value_error():
    assert issubclass(InputError, ValueError)


# --- The promise of mlsys_lab.facts.constants: dimensionless figures are accepted as stored ---
#
# Every calculator is called once with typical plain numbers. Then each plain-number
# argument in turn is passed as a dimensionless quantity, the form constants.py stores
# ratios, fractions and counts in. A dimensionless argument must give the same answer; an
# argument that carries a unit (a time, a data size, money...) reads a plain number in its
# default unit, so a dimensionless quantity is the wrong kind there and must raise an
# InputError naming that argument. The table lists those unit-bearing arguments.

_CURVE = data_value.PITFALL_CURVE
_LINEAGE = telemetry.example_lineage(days=3)
_NETWORK = emergence.simulate_clinic_network(n_sites=5, months=6)

# (calculator, positional args, keyword args, arguments that carry a unit)
PROMISE = [
    (
        "roofline.iron_law_time",
        (2, 3350, 140, 989),
        {"efficiency": 0.5, "latency": 1},
        {"data_volume", "bandwidth", "operations", "peak_rate", "latency"},
    ),
    ("roofline.ridge_point", (989, 3350), {}, {"peak_rate", "bandwidth"}),
    ("roofline.attainable_performance", (100, 989, 3350), {}, {"intensity", "peak_rate", "bandwidth"}),
    ("roofline.bound", (100, 295), {}, {"intensity", "ridge"}),
    ("roofline.arithmetic_intensity", (140, 140), {}, {"ops", "bytes_moved"}),
    ("roofline.roofline_curve", ([1, 10, 1000], 989, 3350), {}, {"peak_rate", "bandwidth"}),
    (
        "token_cost.decode_token_cost",
        (70e9,),
        {"batch_size": 4, "bandwidth": 3350, "peak_rate": 989},
        {"bandwidth", "peak_rate"},
    ),
    ("token_cost.devices_needed", (70e9,), {}, set()),
    ("token_cost.batch_sweep", (70e9, [1, 8]), {}, set()),
    ("token_cost.breakeven_batch_size", (70e9,), {}, set()),
    ("precision.model_memory", (70e9,), {}, set()),
    ("precision.mixed_precision_reduction", (0.5,), {}, set()),
    ("lifecycle.stage_number", (3,), {}, set()),
    ("propagation.cost_multiplier", (4,), {}, set()),
    ("propagation.stage_ratio", (1, 6), {}, set()),
    ("contracts.contract", (2,), {}, set()),
    ("contracts.audit_handoff", (1, {}), {}, set()),
    ("contracts.late_discovery_cost", (6, 1, 1.5), {}, set()),
    ("iteration.experiments_in_window", (26, 1), {}, {"window", "experiment_duration"}),
    ("iteration.accuracy_after", (0.95, 0.0015, 26), {"ceiling": 0.99}, set()),
    ("iteration.iterations_to_reach", (0.9, 0.001, 0.95), {}, set()),
    (
        "iteration.accuracy_trajectory",
        (0.9, 0.001, 1),
        {"window": 26, "ceiling": 0.99, "effective_iterations": 500},
        {"experiment_duration", "window"},
    ),
    ("bandwidth.daily_data_volume", (150, 10, 5), {}, {"photo_size"}),
    ("bandwidth.upload_time", (7500, 2), {}, {"volume", "uplink"}),
    ("bandwidth.share_of_day", (8.3, 8), {}, {"busy_time", "operating_time"}),
    ("bandwidth.reduction_factor", (50, 10), {}, {"original", "reduced"}),
    ("bandwidth.edge_summary_reduction", (10, 5, 10), {}, {"photo_size", "summary_size"}),
    ("bandwidth.ingest_volume", (50000, 25), {}, {"item_size"}),
    ("bandwidth.hybrid_ingest_volume", (50000, 50, 25, 0.1), {}, {"summary_size", "raw_size"}),
    ("bandwidth.compare_ingest", (50000, 25, 50, 0.1), {}, {"raw_size", "summary_size"}),
    (
        "bandwidth.clinic_bandwidth",
        (150, 10, 5, 2, 8, 10),
        {},
        {"photo_size", "uplink", "operating_time", "summary_size"},
    ),
    ("storage.storage_cost", (5,), {"months": 12}, {"size", "months"}),
    ("economics.images_per_year", (500, 50, 1, 365), {}, set()),
    ("economics.images_per_month", (500, 50, 1, 365), {}, set()),
    (
        "economics.cloud_annual_cost",
        (500, 50, 0.01, 45000),
        {"images_per_patient": 1, "days_per_year": 365},
        {"price_per_image", "network"},
    ),
    (
        "economics.edge_costs",
        (500, 500, 0.001, 25000),
        {"patients_per_day": 50, "images_per_patient": 1, "days_per_year": 365, "devices_per_clinic": 1},
        {"device_price", "price_per_image", "maintenance"},
    ),
    ("economics.payback_years", (250000, 136250, 34125), {}, {"capex", "cloud_annual", "edge_annual"}),
    ("economics.cumulative_costs", (5,), {"points": 11}, {"horizon"}),
    (
        "economics.compare_deployments",
        (500, 50, 0.01, 45000, 500, 0.001, 25000),
        {},
        {"cloud_price_per_image", "cloud_network", "device_price", "edge_price_per_image", "edge_maintenance"},
    ),
    ("economics.network_cost", (1000, 0.05), {}, {"volume", "price_per_gb"}),
    ("economics.implied_price_per_gb", (45000, 9125000, 5), {}, {"yearly_cost", "upload_size"}),
    ("screening.sensitivity", (90, 10), {}, set()),
    ("screening.specificity", (80, 20), {}, set()),
    ("screening.confusion_summary", (90, 20, 80, 10), {}, set()),
    ("screening.ppv", (0.95, 0.95, 0.05), {}, set()),
    ("screening.npv", (0.95, 0.95, 0.05), {}, set()),
    ("screening.ppv_curve", (0.95, 0.95, [0.01, 0.05]), {}, set()),
    ("screening.expected_counts", (1000, 0.9, 0.8, 0.05), {}, set()),
    ("screening.meets_targets", (0.92, 0.85, 0.9, 0.8), {}, set()),
    ("evaluation.z_value", (0.95,), {}, set()),
    ("evaluation.standard_error", (0.9, 400), {}, set()),
    ("evaluation.confidence_interval", (0.9, 400, 0.95), {}, set()),
    ("evaluation.test_set_size", (0.9, 0.02, 0.95), {}, set()),
    ("evaluation.rule_of_three", (300,), {}, set()),
    ("evaluation.calibration_bins", ([0.9, 0.6, 0.3], [1, 0, 0], 5), {}, set()),
    ("evaluation.expected_calibration_error", ([0.9, 0.6, 0.3], [1, 0, 0], 5), {}, set()),
    ("evaluation.max_subgroup_gap", ({"a": 0.9, "b": 0.8},), {}, set()),
    ("drift.psi", ([0.5, 0.5], [0.4, 0.6]), {"epsilon": 1e-4}, set()),
    ("drift.psi_from_samples", ([1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7], 3), {"epsilon": 1e-4}, set()),
    ("drift.quantile_bins", ([1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7], 3), {}, set()),
    ("drift.psi_band", (0.15,), {}, set()),
    ("drift.ks_critical_value", (100, 120, 0.05), {}, set()),
    ("drift.ks_test", ([1, 2, 3], [2, 3, 4], 0.05), {}, set()),
    ("monitoring.evaluate_alerts", ({"sensitivity_7d": 0.85, "latency_p95": 120},), {"day": 3}, set()),
    ("monitoring.evaluate_series", ([{"sensitivity": 0.9}, {"sensitivity": 0.8}],), {"window": 2}, set()),
    ("monitoring.rolling_mean", ([0.9, 0.8, 0.85], 2), {}, set()),
    ("latency.serial_latency", (15, 60, 40), {}, {"stages"}),
    ("latency.parallel_latency", (15, 60), {}, {"branches"}),
    ("latency.composed_latency", ((15, 40), (60, 20), 5), {}, {"orchestration"}),
    ("latency.budget_check", (115, 200), {}, {"total", "budget"}),
    ("latency.tail_ratio", (2000, 50), {}, {"tail_latency", "mean_latency"}),
    ("latency.composed_availability", (0.99, 0.999), {}, set()),
    ("latency.best_within_budget", ([("a", 0.95, 500), ("b", 0.93, 50)], 100), {}, {"budget"}),
    ("amdahl.amdahl_speedup", (0.1, 10), {}, set()),
    ("amdahl.amdahl_limit", (0.1,), {}, set()),
    ("amdahl.required_factor", (0.5, 1.5), {}, set()),
    ("amdahl.amdahl_curve", (0.1, [1, 10]), {}, set()),
    ("reliability.fleet_mtbf", (5.7, 1024), {}, {"mttf"}),
    ("reliability.failure_probability", (1, 5.7, 1024), {}, {"window", "mttf"}),
    ("reliability.expected_failures", (1, 5.7, 1024), {}, {"window", "mttf"}),
    ("energy.energy_ratio", (640, 3.7), {}, {"movement_energy", "compute_energy"}),
    ("energy.movement_vs_compute", (3.7, 640), {}, {"precision", "access_energy"}),
    ("energy.workload_energy", (1e6, 1e9, 3.7, 640), {}, {"precision", "access_energy"}),
    ("energy.dram_accesses", (1e9, 4), {}, {"data_volume", "access_width"}),
    ("energy.movement_energy", (1e9, 640, 4), {}, {"data_volume", "access_energy", "access_width"}),
    ("energy.energy_per_byte", (640, 4), {}, {"access_energy", "access_width"}),
    ("architecture.conv_macs", (56, 56, 3, 64, 128), {}, set()),
    ("architecture.depthwise_separable_macs", (56, 56, 3, 64, 128), {}, set()),
    ("architecture.depthwise_separable_savings", (3, 256), {}, set()),
    ("architecture.ops_ratio", (11.3, 0.3), {}, {"ops_a", "ops_b"}),
    ("architecture.ensemble_cost", (5, 2.5), {}, set()),
    ("feedback.bias_gap", (1, 1.5, 4), {}, set()),
    ("feedback.bias_trajectory", (1, 1.5, 4), {}, set()),
    ("feedback.cycles_to_threshold", (1, 1.5, 5), {}, set()),
    ("survey.data_work_share", (0.6, 0.2), {}, set()),
    ("locality.locality_penalty", (100, 1), {}, {"access_latency", "reference_latency"}),
    ("iteration.time_to_target", (0.9, 0.001, 0.95, 1), {}, {"experiment_duration"}),
    ("search.grid_runs", (4, 5), {}, set()),
    ("search.campaign_runs", (4, 5, 3), {}, set()),
    ("search.search_cost", (1024, 2.5), {}, {"cost_per_run"}),
    ("search.search_time", (1024, 1, 8), {}, {"run_duration"}),
    ("rollout.exposed_per_day", (0.02, 25000), {}, set()),
    (
        "telemetry.simulate_clinic_week",
        (7, 300, 0.2),
        {"reference_images": 500, "latency_median_ms": 30, "failure_probability": 0.001},
        set(),
    ),
    ("telemetry.camera_samples", (200, 200, 11), {}, set()),
    ("telemetry.example_lineage", (), {"days": 3}, set()),
    ("telemetry.lineage_diff", (_LINEAGE, "lampang-01", 1, 2), {}, set()),
    ("subgroups.synthetic_cohort", (), {"seed": 1}, set()),
    ("subgroups.synthetic_confidences", (200, 2.0, 0.5, 0.99, 0), {}, set()),
    ("emergence.simulate_clinic_network", (10, 6, 40.0, 0.08, 0.92, 0.78, 31), {}, set()),
    ("emergence.two_proportion_z", (90, 100, 80, 100), {}, set()),
    ("emergence.site_window_sensitivity", (_NETWORK, 2), {}, set()),
    ("emergence.site_change_z", (_NETWORK, 2), {}, set()),
    ("emergence.network_change_z", (_NETWORK, 2), {}, set()),
    ("emergence.sites_flagged", (_NETWORK, 2, -2.0), {}, set()),
    ("emergence.expected_false_flags", (60, -2.0), {}, set()),
    ("data_value.scaling_gain", (_CURVE, 500_000, 1_000_000), {}, set()),
    ("data_value.doubling_gains", (_CURVE, 500_000, 3), {}, set()),
    ("data_value.labeling_cost", (500_000, 0.5), {}, {"cost_per_example"}),
    (
        "data_value.marginal_data_value",
        (_CURVE, 500_000, 1_000_000, 0.5, 10_000),
        {},
        {"cost_per_example", "value_per_point"},
    ),
    ("lighthouses.intensity", ("resnet50", 64), {}, set()),
    ("lighthouses.placement", ("resnet50",), {"batch_size": 64}, set()),
    ("lighthouses.iron_law", ("resnet50", 64), {"efficiency": 0.5, "overhead": 1}, {"overhead"}),
    ("lighthouses.resnet50_activation_values", (224,), {}, set()),
    ("lighthouses.mobilenetv2_activation_values", (224,), {}, set()),
    ("lighthouses.dscnn_activation_values", (172, 4), {}, set()),
    ("pareto.dominates", (0.95, 50, 0.93, 80), {}, set()),
    (
        "pareto.synthetic_candidates",
        (20, 0),
        {"best_accuracy": 0.96, "min_latency_ms": 5, "max_latency_ms": 600},
        set(),
    ),
    ("skew.simulate_skew", (1.2, 5), {"n": 500, "seed": 0}, set()),
    ("skew.fleet_skew", (), {"n": 500, "seed": 0}, set()),
    ("skew.simulate_drift", ((0, 10),), {"n": 500, "seed": 0}, set()),
    ("hardware.devices_to_hold", (140,), {"usable_fraction": 0.9}, {"model_bytes"}),
    ("rollout.requests_exposed", (10, 1, 2), {}, {"request_rate", "delays"}),
]

# Calculators whose arguments hold no single number (names, arrays, tables, records), and
# look-ups by name or index (an invariant's number is an index, not a quantity).
NO_SCALAR_ARGUMENTS = {
    "invariants.get_invariant",
    "invariants.in_phase",
    "precision.bytes_per_parameter",
    "precision.memory_ratio",
    "propagation.multiplier_table",
    "storage.tier_price",
    "storage.tier_price_ratio",
    "evaluation.subgroup_metrics",
    "drift.ks_statistic",
    "locality.memory_tier_penalties",
    "provenance.missing_parts",
    "provenance.diff_runs",
    "rollout.stage",
    "subgroups.stratified_table",
    "lighthouses.get_lighthouse",
    "lighthouses.capacity_ratio",
    "pareto.pareto_front",
    "skew.skew_gap",
    "hardware.get_device",
    "hardware.compare_devices",
}

# Where an error names the argument of the helper it was passed to, not the caller's.
_REPORTED_AS = {
    ("bandwidth.compare_ingest", "raw_size"): "item_size",
    ("economics.compare_deployments", "cloud_price_per_image"): "price_per_image",
    ("economics.compare_deployments", "edge_price_per_image"): "price_per_image",
    ("economics.compare_deployments", "cloud_network"): "network",
    ("economics.compare_deployments", "edge_maintenance"): "maintenance",
    ("energy.movement_vs_compute", "access_energy"): "movement_energy",
    ("lighthouses.iron_law", "overhead"): "latency",
}

# Modules that are not calculators: the unit registry, records, course machinery, plots.
_NOT_CALCULATORS = {
    *("units", "errors", "constants", "ledger", "checks", "notebook", "viz", "variants", "public_tests"),
    *("function_cases", "live_mode"),  # course machinery: grading cases, the site's live mode
}


def _calculator(path):
    module, name = path.split(".")
    return getattr(getattr(mlsys_lab, module), name)


def _same(a, b) -> bool:
    """Equal results; a dimensionless quantity equals the plain number it holds."""
    if is_quantity(a) and a.dimensionless and not is_quantity(b):
        a = a.to("dimensionless").magnitude
    if is_quantity(b) and b.dimensionless and not is_quantity(a):
        b = b.to("dimensionless").magnitude
    if is_quantity(a) or is_quantity(b):
        return (
            is_quantity(a)
            and is_quantity(b)
            and a.dimensionality == b.dimensionality
            and _same(
                np.asarray(a.to_base_units().magnitude).tolist(), np.asarray(b.to_base_units().magnitude).tolist()
            )
        )
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "biuf" and b.dtype.kind in "biuf":
            return bool(np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    return a == b


def _number_slots(fn, args, kwargs):
    """(where, key, parameter name) for every plain-number argument of one call."""
    params = list(inspect.signature(fn).parameters.values())
    variadic = next((p.name for p in params if p.kind is p.VAR_POSITIONAL), None)
    slots = []
    for i, value in enumerate(args):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if i < len(params) and params[i].kind is not params[i].VAR_POSITIONAL:
                slots.append(("args", i, params[i].name))
            else:
                slots.append(("args", i, variadic))
    for key, value in kwargs.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            slots.append(("kwargs", key, key))
    return slots


def _exists(path) -> bool:
    module, name = path.split(".")
    return hasattr(getattr(mlsys_lab, module), name)


# A calculator that disappeared is reported by the coverage test below, not at collection.
PROMISE_CASES = [
    pytest.param(path, args, kwargs, where, key, name, name in unit_args, id=f"{path}-{name}-{key}")
    for path, args, kwargs, unit_args in PROMISE
    if _exists(path)
    for where, key, name in _number_slots(_calculator(path), args, kwargs)
]


@pytest.mark.parametrize("path, args, kwargs, where, key, name, has_unit", PROMISE_CASES)
def test_dimensionless_quantity_is_accepted_where_a_plain_number_is(path, args, kwargs, where, key, name, has_unit):
    fn = _calculator(path)
    expected = fn(*args, **kwargs)
    args, kwargs = list(args), dict(kwargs)
    if where == "args":
        args[key] = Q_(args[key], "dimensionless")
    else:
        kwargs[key] = Q_(kwargs[key], "dimensionless")
    if has_unit:
        with pytest.raises(InputError) as err:
            fn(*args, **kwargs)
        assert str(err.value).startswith(_REPORTED_AS.get((path, name), name)), str(err.value)
    else:
        assert _same(fn(*args, **kwargs), expected)


def test_promise_table_names_every_unit_argument_it_lists():
    for path, args, kwargs, unit_args in PROMISE:
        if not _exists(path):
            continue
        names = {name for _, _, name in _number_slots(_calculator(path), args, kwargs)}
        assert unit_args <= names, f"{path}: {sorted(unit_args - names)} not exercised"


def test_promise_table_covers_every_calculator():
    covered = {path for path, *_ in PROMISE} | NO_SCALAR_ARGUMENTS
    public = set()
    for flat_name in mlsys_lab.module_names():
        if flat_name in _NOT_CALCULATORS or mlsys_lab.role_of(flat_name) is None:
            continue
        module = getattr(mlsys_lab, flat_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                public.add(f"{flat_name}.{name}")
    assert not public - covered, f"add these calculators to PROMISE: {sorted(public - covered)}"
    assert not covered - public, f"gone from the package: {sorted(covered - public)}"
