"""Tests for mlsys_lab.facts.constants: registry integrity and the chapter values."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.facts import constants as C
from mlsys_lab.units import is_quantity


def test_every_constant_is_a_sourced_quantity():
    assert len(C.CONSTANTS) > 80
    for key, const in C.CONSTANTS.items():
        assert key == key.lower() and " " not in key
        assert is_quantity(const.value), key
        assert const.name and const.source, key
        assert "ML Workflow" in const.source or "Conclusion" in const.source or "mlsysim" in const.source


def test_module_level_names_match_registry():
    for key, const in C.CONSTANTS.items():
        assert getattr(C, key.upper()) is const.value


def test_lookup_helpers():
    assert C.constant("gpu_mttf").value.to("year").magnitude == 5.7
    with pytest.raises(InputError, match="key: unknown constant id"):
        C.constant("gpu_mtbf")
    assert "clinic_photo_size" in C.by_source("Napkin Math 1.2")


@pytest.mark.parametrize(
    "key, unit, value",
    [
        ("l1_hit_latency", "ns", 1),
        ("dram_latency_low", "ns", 50),
        ("dram_latency_high", "ns", 100),
        ("nvme_latency_low", "us", 10),
        ("nvme_latency_high", "us", 100),
        ("nvme_price", "USD/GB/month", 0.10),
        ("object_storage_price", "USD/GB/month", 0.023),
        ("gpu_mttf", "year", 5.7),
        ("dr_sensitivity_target", "", 0.90),
        ("dr_specificity_target", "", 0.80),
        ("alert_sensitivity_7d", "", 0.88),
        ("alert_specificity", "", 0.78),
        ("alert_latency_p95", "ms", 100),
        ("alert_queue_depth", "", 50),
        ("alert_error_rate", "", 0.001),
        ("psi_stable_below", "", 0.1),
        ("psi_significant_above", "", 0.2),
        ("clinic_patients_per_day", "", 150),
        ("clinic_photos_per_patient", "", 10),
        ("clinic_photo_size", "MB", 5),
        ("clinic_uplink", "Mb/s", 2),
        ("clinic_day", "hour", 8),
        ("edge_summary_size", "KB", 10),
        ("econ_clinics", "", 500),
        ("econ_patients_per_day", "", 50),
        ("cloud_price_per_image", "USD", 0.01),
        ("edge_price_per_image", "USD", 0.001),
        ("cloud_network_cost", "USD/year", 45_000),
        ("edge_device_price", "USD", 500),
        ("edge_maintenance", "USD/year", 25_000),
        ("survey_cleaning_share", "", 0.60),
        ("survey_collection_share", "", 0.19),
        ("resnet152_macs", "GMAC", 11),
        ("mobilenetv2_macs", "MMAC", 300),
        ("resnet50_macs", "GMAC", 4.1),
        ("llama2_70b_params", "", 70e9),
    ],
)
def test_chapter_values(key, unit, value):
    q = C.CONSTANTS[key].value
    converted = q.to(unit) if unit else q.to("dimensionless")
    assert converted.magnitude == pytest.approx(value)


def test_disagreements_are_noted():
    assert "300" in C.CONSTANTS["dram_latency_low"].note
    assert "600" in C.CONSTANTS["mobilenetv2_macs"].note
    assert "512" in C.CONSTANTS["kws_sram"].note
    assert "0.99" in C.CONSTANTS["cloud_network_cost"].note


def test_model_op_counts_are_multiply_accumulates():
    """The chapters' model op counts are MACs; one MAC is two FLOPs, ratios are unchanged."""
    assert C.MOBILENETV2_MACS.to("MFLOP").magnitude == pytest.approx(600)
    assert C.RESNET50_MACS.to("GFLOP").magnitude == pytest.approx(8.2)
    assert C.RESNET152_MACS.to("GFLOP").magnitude == pytest.approx(22)
    assert (C.RESNET50_MACS / C.MOBILENETV2_MACS).to("").magnitude == pytest.approx(13.667, abs=1e-3)
    assert "flops" not in " ".join(C.CONSTANTS)


def test_constant_record_helpers():
    c = C.constant("clinic_photo_size")
    assert c.magnitude == 5
    assert c.to("KB").magnitude == 5000
