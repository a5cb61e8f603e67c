"""Every calculator family rejects nonsense with an InputError naming the argument."""

import pytest

from mlsys_lab import (
    amdahl,
    architecture,
    bandwidth,
    contracts,
    drift,
    economics,
    energy,
    evaluation,
    feedback,
    hardware,
    iteration,
    latency,
    monitoring,
    precision,
    propagation,
    reliability,
    roofline,
    screening,
    storage,
    survey,
    token_cost,
)
from mlsys_lab.errors import InputError
from mlsys_lab.units import Q_

CASES = [
    # (label, callable, argument name expected at the start of the message)
    ("roofline negative bandwidth", lambda: roofline.iron_law_time(1, -2, 1, 1), "bandwidth"),
    ("roofline zero bandwidth", lambda: roofline.ridge_point(989, 0), "bandwidth"),
    ("roofline time as data", lambda: roofline.iron_law_time(Q_(1, "s"), 1, 1, 1), "data_volume"),
    ("roofline efficiency 1.5", lambda: roofline.iron_law_time(1, 1, 1, 1, efficiency=1.5),
     "efficiency"),
    ("token_cost string params", lambda: token_cost.decode_token_cost("70B"), "parameters"),
    ("token_cost zero batch", lambda: token_cost.decode_token_cost(70e9, batch_size=0),
     "batch_size"),
    ("token_cost negative bandwidth",
     lambda: token_cost.decode_token_cost(70e9, bandwidth=Q_(-2, "GB/s")), "bandwidth"),
    ("precision unknown", lambda: precision.memory_ratio("fp32", "int3"), "low"),
    ("precision nan params", lambda: precision.model_memory(float("nan")), "parameters"),
    ("propagation stage 0", lambda: propagation.cost_multiplier(0), "stage"),
    ("propagation bool stage", lambda: propagation.cost_multiplier(True), "stage"),
    ("contracts bad stage", lambda: contracts.audit_handoff(9, {}), "stage"),
    ("contracts negative base", lambda: contracts.late_discovery_cost(4, base_cost=-3),
     "base_cost"),
    ("iteration zero duration", lambda: iteration.experiments_in_window(26, 0),
     "experiment_duration"),
    ("iteration start 1.5", lambda: iteration.accuracy_after(1.5, 0.001, 3), "start"),
    ("iteration data size as window", lambda: iteration.experiments_in_window(Q_(5, "MB"), 1),
     "window"),
    ("bandwidth time as size", lambda: bandwidth.daily_data_volume(150, 10, Q_(5, "s")),
     "photo_size"),
    ("bandwidth negative uplink", lambda: bandwidth.upload_time(7500, Q_(-2, "Mb/s")), "uplink"),
    ("bandwidth zero uplink", lambda: bandwidth.upload_time(7500, 0), "uplink"),
    ("bandwidth fraction 1.5", lambda: bandwidth.hybrid_ingest_volume(10, 50, 25, 1.5),
     "raw_fraction"),
    ("bandwidth bool patients", lambda: bandwidth.daily_data_volume(True, 10, 5), "patients"),
    ("storage negative size", lambda: storage.storage_cost(-5), "size"),
    ("storage string months", lambda: storage.storage_cost(5, "hot", "a year"), "months"),
    ("economics zero clinics", lambda: economics.images_per_year(0), "clinics"),
    ("economics money as time", lambda: economics.payback_years(Q_(5, "s"), 10, 5), "capex"),
    ("economics negative price", lambda: economics.cloud_annual_cost(price_per_image=-0.01),
     "price_per_image"),
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
    ("monitoring latency as size",
     lambda: monitoring.evaluate_alerts({"latency_p95": Q_(5, "MB")}), "latency_p95"),
    ("latency negative stage", lambda: latency.serial_latency(15, -60), "stages[1]"),
    ("latency zero budget", lambda: latency.budget_check(115, 0), "budget"),
    ("latency data size as time", lambda: latency.tail_ratio(Q_(2, "GB"), 50), "tail_latency"),
    ("latency availability 1.5", lambda: latency.composed_availability(0.9, 1.5),
     "availabilities[1]"),
    ("amdahl fraction 1.5", lambda: amdahl.amdahl_speedup(1.5, 10), "fraction"),
    ("amdahl zero factor", lambda: amdahl.amdahl_speedup(0.1, 0), "factor"),
    ("amdahl bool factor", lambda: amdahl.amdahl_speedup(0.1, True), "factor"),
    ("reliability zero devices", lambda: reliability.fleet_mtbf(5.7, 0), "devices"),
    ("reliability negative mttf", lambda: reliability.fleet_mtbf(-5.7, 10), "mttf"),
    ("reliability size as window", lambda: reliability.failure_probability(Q_(1, "GB"), 5.7),
     "window"),
    ("energy zero op energy", lambda: energy.energy_ratio(640, 0), "compute_energy"),
    ("energy time as energy", lambda: energy.energy_ratio(Q_(1, "s"), 3.7), "movement_energy"),
    ("energy unknown precision", lambda: energy.movement_vs_compute("fp4"), "precision"),
    ("architecture zero channels", lambda: architecture.depthwise_separable_savings(3, 0),
     "out_channels"),
    ("architecture grid float", lambda: architecture.grid_search_runs(4.5, 5),
     "values_per_hyperparameter"),
    ("architecture time as ops", lambda: architecture.ops_ratio(Q_(1, "s"), 1), "ops_a"),
    ("feedback alpha zero", lambda: feedback.bias_gap(1, 0, 3), "alpha"),
    ("feedback negative gap", lambda: feedback.bias_gap(-1, 1.5, 3), "initial_gap"),
    ("feedback cycles float", lambda: feedback.bias_gap(1, 1.5, 2.5), "cycles"),
    ("survey share 1.5", lambda: survey.data_work_share(1.5), "shares[0]"),
    ("survey negative latency", lambda: survey.locality_penalty(-50), "access_latency"),
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
