"""Every number the two chapters rely on, as a quantity with its provenance.

Each figure is registered once as a :class:`Constant` record (name, value, source, note)
in ``CONSTANTS``, keyed by a short snake_case id, and is also bound to an upper-case
module-level name holding just the quantity, so calculations read naturally::

    from mlsys_lab.facts import constants as C
    C.CLINIC_PHOTO_SIZE            # <Quantity(5, 'megabyte')>
    C.CONSTANTS["clinic_photo_size"].source
    C.constant("gpu_mttf").note    # provenance, and where sources disagree

Fractions, probabilities and counts are stored as dimensionless quantities; every
calculator accepts them directly (or as plain numbers). Hardware figures (H100, Jetson,
mobile NPU, microcontroller) live in :mod:`mlsys_lab.facts.hardware`.

Sources are cited by chapter and section: "ML Workflow" and "Conclusion" are the two
course chapters (see the course README). Where the textbook's companion library
``mlsysim`` or another printing of the book gives a different value, the note says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..units import Q_, Number, ureg  # noqa: F401  (ureg re-exported for convenience)
from .records import CONCLUSION as _CC
from .records import ML_WORKFLOW as _WF
from .records import MLSYSIM as _MLSYSIM
from .records import Registry, Sourced

__all__ = ["Constant", "CONSTANTS", "constant", "by_source"]


@dataclass(frozen=True)
class Constant(Sourced):
    """One sourced figure: ``value`` is a pint quantity (dimensionless for ratios); ``source`` and
    ``note`` as for every :class:`~mlsys_lab.facts.records.Sourced` record."""

    name: str
    value: Number

    @property
    def magnitude(self) -> float:
        """The value's magnitude in its stored unit."""
        return self.value.magnitude

    def to(self, unit: str):
        """The value converted to ``unit``."""
        return self.value.to(unit)


CONSTANTS: Registry[Constant] = Registry("constant id", Constant, "key")


def _c(key: str, name: str, magnitude: float, unit: str, source: str, note: str = ""):
    value = Q_(magnitude, unit)
    CONSTANTS.add(key, Constant(name=name, value=value, source=source, note=note))
    return value


def constant(key: str) -> Constant:
    """The :class:`Constant` record for ``key`` (InputError for an unknown id)."""
    return CONSTANTS.lookup(key)


def by_source(text: str) -> dict[str, Constant]:
    """All constants whose source mentions ``text`` (case-insensitive)."""
    needle = str(text).lower()
    return {k: c for k, c in CONSTANTS.items() if needle in c.source.lower()}


# ---------------------------------------------------------------------------------------
# Memory hierarchy latencies (locality of reference)
# ---------------------------------------------------------------------------------------
_LOC = f"{_WF}, §ML vs. traditional software, footnote on locality of reference"
L1_HIT_LATENCY = _c(
    "l1_hit_latency",
    "L1 cache hit latency",
    1,
    "ns",
    _LOC,
    "Order-of-magnitude figure; the reference point for the locality penalties.",
)
DRAM_LATENCY_LOW = _c(
    "dram_latency_low",
    "DRAM access latency (low end)",
    50,
    "ns",
    _LOC,
    "The chapter gives a 50-100 ns range. Some mlsysim versions use 100 ns "
    "for DRAM and 300 ns for HBM3 (a 300 vs. 100 ns disagreement).",
)
DRAM_LATENCY_HIGH = _c(
    "dram_latency_high",
    "DRAM access latency (high end)",
    100,
    "ns",
    _LOC,
    "Upper end of the chapter's 50-100 ns range; see dram_latency_low.",
)
NVME_LATENCY_LOW = _c(
    "nvme_latency_low", "NVMe SSD read latency (low end)", 10, "us", _LOC, "The chapter gives 10-100 microseconds."
)
NVME_LATENCY_HIGH = _c(
    "nvme_latency_high",
    "NVMe SSD read latency (high end)",
    100,
    "us",
    _LOC,
    "Upper end of the range; mlsysim's NVMe latency is also 100 us.",
)

# ---------------------------------------------------------------------------------------
# Energy per event (energy-movement invariant)
# ---------------------------------------------------------------------------------------
_ENERGY = (
    f"{_CC}, §Thirteen Quantitative Invariants, principle 7 (energy-movement); "
    "values from the book's reference constants (Horowitz, ISSCC 2014, 45 nm)"
)
DRAM_ACCESS_ENERGY = _c(
    "dram_access_energy",
    "Energy of one 32-bit DRAM access",
    640,
    "pJ",
    _ENERGY,
    "The chapter prints only the ratios (173x and 582x); 640 pJ is the "
    "reference value that reproduces them. It is the energy of one 32-bit "
    "(4-byte) DRAM access at 45 nm, as Han et al. (2016) tabulate Horowitz's "
    "ISSCC 2014 figures (Horowitz lists 1.3-2.6 nJ per 64-bit access), so it "
    "is 160 pJ per byte: the same as mlsysim's 160 pJ/byte.",
)
DRAM_ACCESS_WIDTH = _c(
    "dram_access_width",
    "Data moved by one DRAM access (32 bits)",
    4,
    "byte",
    _ENERGY,
    "The width behind dram_access_energy (Han et al. 2016, after Horowitz 2014): 640 pJ / 4 bytes = 160 pJ/byte.",
)
FP32_OP_ENERGY = _c(
    "fp32_op_energy", "Energy of one FP32 multiply", 3.7, "pJ", _ENERGY, "Horowitz 45 nm FP32 multiply; 640/3.7 = 173x."
)
FP16_OP_ENERGY = _c(
    "fp16_op_energy", "Energy of one FP16 multiply", 1.1, "pJ", _ENERGY, "Horowitz 45 nm FP16 multiply; 640/1.1 = 582x."
)
INT8_OP_ENERGY = _c(
    "int8_op_energy",
    "Energy of one INT8 multiply-add",
    0.2,
    "pJ",
    f"{_MLSYSIM}, energy table (Horowitz 2014)",
    "Not used by the chapters; provided for exercises on quantization energy.",
)

# ---------------------------------------------------------------------------------------
# Storage tiers
# ---------------------------------------------------------------------------------------
_TIER = f"{_WF}, §Data Collection, footnote on tiered storage"
NVME_PRICE = _c(
    "nvme_price",
    "Hot tier (NVMe SSD) price",
    0.10,
    "USD / GB / month",
    _TIER,
    "mlsysim gives a $100-300 per TB-month range for NVMe; the chapter uses the low end, $0.10 per GB-month.",
)
OBJECT_STORAGE_PRICE = _c(
    "object_storage_price",
    "Warm tier (object storage) price",
    0.023,
    "USD / GB / month",
    _TIER,
    "S3-standard-like pricing; mlsysim's $23 per TB-month is the same value.",
)
NVME_IOPS = _c(
    "nvme_iops", "NVMe random-read operations per second", 500_000, "1 / s", _TIER, "The chapter says 500,000+ IOPS."
)
OBJECT_STORAGE_LATENCY_LOW = _c(
    "object_storage_latency_low", "Object storage latency (low)", 100, "ms", _TIER, "The chapter gives 100-200 ms."
)
OBJECT_STORAGE_LATENCY_HIGH = _c(
    "object_storage_latency_high",
    "Object storage latency (high)",
    200,
    "ms",
    _TIER,
    "Upper end of the 100-200 ms range.",
)

# ---------------------------------------------------------------------------------------
# Fleet reliability
# ---------------------------------------------------------------------------------------
_FLEET = f"{_CC}, §Journey Forward, horizon note 'From node to fleet'"
GPU_MTTF = _c(
    "gpu_mttf",
    "Data-center GPU mean time to failure",
    5.7,
    "year",
    _FLEET,
    "The book's reference MTTF. pint's year is 365.25 days; with 365-day years the "
    "fleet MTBF is 48.76 h instead of 48.79 h, both printed as 48.8 h.",
)
FLEET_GPUS = _c(
    "fleet_gpus",
    "GPUs in the example failure pool",
    1024,
    "dimensionless",
    _FLEET,
    "Failures assumed independent (no correlated failures).",
)

# ---------------------------------------------------------------------------------------
# Diabetic-retinopathy (DR) screening case: clinical targets and published results
# ---------------------------------------------------------------------------------------
_PD = f"{_WF}, §Problem Definition, constraint layers"
DR_SENSITIVITY_TARGET = _c(
    "dr_sensitivity_target", "DR sensitivity target", 0.90, "dimensionless", _PD, "Stated as 'more than 90 percent'."
)
DR_SPECIFICITY_TARGET = _c(
    "dr_specificity_target", "DR specificity target", 0.80, "dimensionless", _PD, "Stated as 'more than 80 percent'."
)
_MD = f"{_WF}, §Model Development (Gulshan et al. 2016)"
DR_TRAINING_IMAGES = _c("dr_training_images", "Labeled retinal images for training", 128_000, "dimensionless", _MD)
DR_PUBLISHED_AUC = _c("dr_published_auc", "Published DR model AUC", 0.99, "dimensionless", _MD)
DR_PUBLISHED_SENSITIVITY = _c("dr_published_sensitivity", "Published DR sensitivity", 0.975, "dimensionless", _MD)
DR_PUBLISHED_SPECIFICITY = _c("dr_published_specificity", "Published DR specificity", 0.934, "dimensionless", _MD)
DR_FIELD_SENSITIVITY = _c(
    "dr_field_sensitivity",
    "Sensitivity on a rural clinic's images",
    0.78,
    "dimensionless",
    f"{_WF}, §Evaluation and Validation",
    "Chiang Mai clinic, five-year-old camera, briefly trained operator.",
)
DR_INFERENCE_LATENCY_TARGET = _c(
    "dr_inference_latency_target",
    "Edge inference latency target",
    50,
    "ms",
    f"{_WF}, §Model Development",
    "Stated as 'less than 50 ms'.",
)
DR_MODEL_SIZE_TARGET = _c(
    "dr_model_size_target",
    "Model size target on the clinic device",
    200,
    "MB",
    f"{_WF}, §Lifecycle Stages, Example 1.1 (resolution)",
    "Example 1.1 resolves the audit with '<200 MB model size'.",
)
DR_MEMORY_RISK = _c(
    "dr_memory_risk",
    "Memory limit discovered late in Example 1.1",
    500,
    "MB",
    f"{_WF}, §Lifecycle Stages, Example 1.1 (cost analysis)",
)
OPENING_MODEL_MEMORY = _c(
    "opening_model_memory",
    "Memory the opening story's model needs",
    4,
    "GB",
    f"{_WF}, §ML Lifecycle (opening day-153 story)",
)
OPENING_TABLET_MEMORY = _c(
    "opening_tablet_memory",
    "Memory available on the clinic tablet",
    512,
    "MB",
    f"{_WF}, §ML Lifecycle (opening day-153 story)",
)
SUBGROUP_ERROR_DISPARITY = _c(
    "subgroup_error_disparity",
    "Error-rate disparity across groups",
    43,
    "dimensionless",
    f"{_CC}, §Fallacies and Pitfalls",
    "The Conclusion's body says 'exceeding 43x'; its answer key and the "
    "ML Workflow footnote on demographic drift say 40x.",
)

# Screening-metric example (PPV collapse at low prevalence)
_PPV = f"{_WF}, §Model Development, footnote on medical AI performance metrics"
PPV_EXAMPLE_SENSITIVITY = _c(
    "ppv_example_sensitivity",
    "Sensitivity in the PPV example",
    0.95,
    "dimensionless",
    _PPV,
    "The chapter says '95 percent accuracy'; the course reads it as "
    "95% sensitivity and 95% specificity, which gives the printed 50% PPV.",
)
PPV_EXAMPLE_SPECIFICITY = _c(
    "ppv_example_specificity",
    "Specificity in the PPV example",
    0.95,
    "dimensionless",
    _PPV,
    "See ppv_example_sensitivity.",
)
PPV_EXAMPLE_PREVALENCE = _c(
    "ppv_example_prevalence",
    "Low prevalence in the PPV example",
    0.05,
    "dimensionless",
    _PPV,
    "The chapter says only 'low-prevalence'; 5% is the prevalence at which 95%/95% gives exactly 50% PPV.",
)

# ---------------------------------------------------------------------------------------
# Monitoring: the four metric families and their alert thresholds
# ---------------------------------------------------------------------------------------
_MON = f"{_WF}, §Monitoring and Maintenance, production monitoring"
ALERT_SENSITIVITY_7D = _c(
    "alert_sensitivity_7d",
    "Alert: 7-day rolling sensitivity below",
    0.88,
    "dimensionless",
    _MON,
    "Performance family; target stays > 90%.",
)
ALERT_SPECIFICITY = _c(
    "alert_specificity",
    "Alert: specificity below",
    0.78,
    "dimensionless",
    _MON,
    "Performance family; target stays > 80%.",
)
ALERT_SUBGROUP_DROP = _c(
    "alert_subgroup_drop",
    "Alert: any subgroup below its baseline by more than",
    0.05,
    "dimensionless",
    _MON,
    "The chapter says 'more than 5 percent below baseline'; the course "
    "reads it as 5 percentage points (absolute), matching the 5-point "
    "subgroup gap in the model-validation definition.",
)
ALERT_CONFIDENCE_DROP = _c(
    "alert_confidence_drop",
    "Alert: mean confidence falls by more than",
    0.10,
    "dimensionless",
    _MON,
    "Proxy family; relative to baseline.",
)
ALERT_REFERRAL_CHANGE = _c(
    "alert_referral_change",
    "Alert: referral rate moves by more than",
    0.15,
    "dimensionless",
    _MON,
    "Proxy family; relative change from baseline, either direction.",
)
ALERT_QUALITY_REJECTION = _c(
    "alert_quality_rejection",
    "Alert: image-quality rejection above",
    0.20,
    "dimensionless",
    _MON,
    "Proxy family; share of images.",
)
LATENCY_P95_TARGET = _c(
    "latency_p95_target",
    "Inference latency P95 target",
    50,
    "ms",
    _MON,
    "Operational family target ('P95 below 50 ms').",
)
ALERT_LATENCY_P95 = _c(
    "alert_latency_p95", "Alert: P95 inference latency above", 100, "ms", _MON, "Operational family."
)
ALERT_QUEUE_DEPTH = _c(
    "alert_queue_depth", "Alert: queue depth above (images)", 50, "dimensionless", _MON, "Operational family."
)
ALERT_ERROR_RATE = _c(
    "alert_error_rate",
    "Alert: failed-request share above",
    0.001,
    "dimensionless",
    _MON,
    "Operational family; 0.1 percent.",
)

# PSI bands (data-stability family)
_PSI = f"{_WF}, §Monitoring and Maintenance, footnote on PSI and KS tests"
PSI_STABLE_BELOW = _c(
    "psi_stable_below", "PSI below which a feature is stable", 0.1, "dimensionless", _PSI, "PSI < 0.1: stable."
)
PSI_SIGNIFICANT_ABOVE = _c(
    "psi_significant_above",
    "PSI above which drift is significant",
    0.2,
    "dimensionless",
    _PSI,
    "0.1-0.2: moderate drift, > 0.2: significant. Some practitioners use 0.25 "
    "as the upper cut; the course follows the chapter (0.2).",
)
KS_COEFFICIENT_5PCT = _c(
    "ks_coefficient_5pct",
    "KS critical-value coefficient at alpha = 0.05",
    1.36,
    "dimensionless",
    f"{_MLSYSIM}, statistics constants",
    "Not printed in the chapters; c(alpha) = sqrt(-ln(alpha/2)/2) = 1.358.",
)

# ---------------------------------------------------------------------------------------
# Napkin Math 1.2: bandwidth vs. compute at one clinic
# ---------------------------------------------------------------------------------------
_BW = f"{_WF}, §Data Collection, Napkin Math 1.2 (bandwidth vs. compute)"
CLINIC_PATIENTS_PER_DAY = _c("clinic_patients_per_day", "Patients per clinic day", 150, "dimensionless", _BW)
CLINIC_PHOTOS_PER_PATIENT = _c("clinic_photos_per_patient", "Retinal photos per patient", 10, "dimensionless", _BW)
CLINIC_PHOTO_SIZE = _c(
    "clinic_photo_size",
    "Size of one retinal photo",
    5,
    "MB",
    _BW,
    "Decimal megabytes (10**6 bytes), as the chapter's arithmetic assumes.",
)
CLINIC_UPLINK = _c(
    "clinic_uplink", "Clinic upload bandwidth", 2, "Mb / s", _BW, "Megabits per second: 2 Mb/s = 0.25 MB/s."
)
CLINIC_DAY = _c("clinic_day", "Clinic operating hours per day", 8, "hour", _BW)
EDGE_SUMMARY_SIZE = _c(
    "edge_summary_size",
    "Detection summary uploaded per patient",
    10,
    "KB",
    _BW,
    "Decimal kilobytes; 7,500 MB vs. 150 x 10 KB gives the 5,000x.",
)

# Weekly ingest comparison (self-check, Data Collection)
_ING = f"{_WF}, §Data Collection, self-check on raw vs. edge-summarized ingest"
INGEST_IMAGES_PER_WEEK = _c("ingest_images_per_week", "Images (or summaries) per week", 50_000, "dimensionless", _ING)
INGEST_RAW_IMAGE_SIZE = _c("ingest_raw_image_size", "High-resolution raw photo size", 25, "MB", _ING)
INGEST_SUMMARY_SIZE = _c("ingest_summary_size", "Edge feature summary size", 50, "KB", _ING)
INGEST_RAW_SAMPLE_FRACTION = _c("ingest_raw_sample_fraction", "Raw audit sample kept", 0.10, "dimensionless", _ING)
INGEST_CLINICS = _c("ingest_clinics", "Clinics feeding the central store", 200, "dimensionless", _ING)

# ---------------------------------------------------------------------------------------
# Napkin Math 1.3: cloud vs. edge deployment economics
# ---------------------------------------------------------------------------------------
_ECON = f"{_WF}, §Deployment and Integration, Napkin Math 1.3 (cloud vs. edge economics)"
ECON_CLINICS = _c("econ_clinics", "Clinics in the deployment", 500, "dimensionless", _ECON)
ECON_PATIENTS_PER_DAY = _c(
    "econ_patients_per_day",
    "Patients per clinic per day",
    50,
    "dimensionless",
    _ECON,
    "Differs from the 150 patients/day of Napkin Math 1.2: the economics example is a separate scenario.",
)
ECON_IMAGES_PER_PATIENT = _c(
    "econ_images_per_patient",
    "Billable images per patient",
    1,
    "dimensionless",
    _ECON,
    "Billing counts a single image per patient: the clinic device picks "
    "and quality-checks it locally from the 10 photos it captured.",
)
ECON_DAYS_PER_YEAR = _c("econ_days_per_year", "Operating days per year", 365, "dimensionless", _ECON)
CLOUD_PRICE_PER_IMAGE = _c(
    "cloud_price_per_image", "Cloud inference price per image", 0.01, "USD", _ECON, "Cloud GPU time plus API overhead."
)
CLOUD_NETWORK_COST = _c(
    "cloud_network_cost",
    "Cloud upload network cost per year",
    45_000,
    "USD / year",
    _ECON,
    "Stated as a lump sum (~$45,000/yr), not derived in the text. Uploading "
    "5 MB for each of 9,125,000 billable images is 45,625 GB a year, so the "
    "figure implies roughly $0.99 per GB transferred.",
)
CLOUD_UPLOAD_SIZE = _c("cloud_upload_size", "Upload per billable image", 5, "MB", _ECON)
CLOUD_LATENCY_RISK = _c(
    "cloud_latency_risk", "Cloud latency that breaks the clinical workflow", 200, "ms", _ECON, "Stated as '200 ms+'."
)
EDGE_DEVICE_PRICE = _c(
    "edge_device_price",
    "Edge device price per clinic",
    500,
    "USD",
    _ECON,
    "Close to a Jetson Orin Nano developer kit's launch price ($499).",
)
EDGE_PRICE_PER_IMAGE = _c(
    "edge_price_per_image", "Edge inference cost per image", 0.001, "USD", _ECON, "Electricity only."
)
EDGE_MAINTENANCE = _c(
    "edge_maintenance",
    "Edge fleet maintenance per year",
    25_000,
    "USD / year",
    _ECON,
    "Added to $9,125 of inference electricity for the $34,125/yr edge running cost.",
)
EDGE_LATENCY = _c("edge_latency", "Edge inference latency", 50, "ms", _ECON, "Stated as 'below 50 ms'.")

# ---------------------------------------------------------------------------------------
# Practitioner survey (where the time goes)
# ---------------------------------------------------------------------------------------
_SURVEY = f"{_WF}, §ML Lifecycle, quantifying the ML lifecycle (CrowdFlower 2016)"
SURVEY_CLEANING_SHARE = _c(
    "survey_cleaning_share",
    "Respondents: cleaning/organizing data",
    0.60,
    "dimensionless",
    _SURVEY,
    "Share of 'most time' answers, not a project-level effort budget. An "
    "older printing states a 60-80 percent range for all data work.",
)
SURVEY_COLLECTION_SHARE = _c(
    "survey_collection_share", "Respondents: collecting datasets", 0.19, "dimensionless", _SURVEY
)
SURVEY_MODEL_SHARE = _c(
    "survey_model_share",
    "Respondents: model-focused activities",
    0.16,
    "dimensionless",
    _SURVEY,
    "Mining patterns, building training sets and refining algorithms together.",
)

# ---------------------------------------------------------------------------------------
# Napkin Math 1.1: the iteration tax
# ---------------------------------------------------------------------------------------
_IT = f"{_WF}, §ML Lifecycle, Napkin Math 1.1 (the iteration tax)"
ITERATION_WINDOW = _c("iteration_window", "Calendar window (six months)", 26, "week", _IT)
SMALL_EXPERIMENT_DURATION = _c("small_experiment_duration", "Small-model experiment duration", 1, "hour", _IT)
LARGE_EXPERIMENT_DURATION = _c("large_experiment_duration", "Large-model experiment duration", 1, "week", _IT)
LARGE_START_ACCURACY = _c("large_start_accuracy", "Large model starting accuracy", 0.95, "dimensionless", _IT)
LARGE_GAIN_PER_ITERATION = _c(
    "large_gain_per_iteration",
    "Large model gain per iteration",
    0.0015,
    "dimensionless",
    _IT,
    "0.15 percentage points.",
)
SMALL_START_ACCURACY = _c("small_start_accuracy", "Small model starting accuracy", 0.90, "dimensionless", _IT)
SMALL_GAIN_PER_ITERATION = _c(
    "small_gain_per_iteration", "Small model gain per iteration", 0.001, "dimensionless", _IT, "0.1 percentage points."
)
SMALL_EFFECTIVE_ITERATIONS = _c(
    "small_effective_iterations",
    "Effective small-model iterations",
    100,
    "dimensionless",
    _IT,
    "A fraction of the 4,368 possible one-hour experiments.",
)
ACCURACY_CEILING = _c("accuracy_ceiling", "Accuracy ceiling applied to the trajectories", 0.99, "dimensionless", _IT)

# ---------------------------------------------------------------------------------------
# Latency budget (Deployment self-check) and tail latency (Conclusion)
# ---------------------------------------------------------------------------------------
_LAT = f"{_WF}, §Deployment and Integration, self-check on the 100 ms budget"
DR_MODEL_LATENCY = _c("dr_model_latency", "Per-request model time", 15, "ms", _LAT)
DR_CLOUD_ROUNDTRIP = _c(
    "dr_cloud_roundtrip", "Cloud fetch of extra input features", 60, "ms", _LAT, "Removed by a local feature cache."
)
DR_INTEGRATION_LATENCY = _c("dr_integration_latency", "Serialization and HIS integration", 40, "ms", _LAT)
DR_LATENCY_BUDGET = _c(
    "dr_latency_budget",
    "End-to-end latency budget",
    100,
    "ms",
    _LAT,
    "Also the 'under 100 milliseconds' end-to-end target of §Data Collection.",
)
_TAIL = f"{_CC}, §Principles in Practice (self-check on the latency budget invariant)"
TAIL_MEAN_LATENCY = _c("tail_mean_latency", "Mean serving latency", 50, "ms", _TAIL)
TAIL_P99_LATENCY = _c("tail_p99_latency", "P99 serving latency", 2000, "ms", _TAIL)
MOBILENET_P99_BUDGET = _c(
    "mobilenet_p99_budget",
    "MobileNetV2 serving P99 budget",
    50,
    "ms",
    f"{_CC}, §Synthesizing ML Systems, MobileNetV2 journey table",
)

# Fallacy: a single accuracy metric (Conclusion)
_FAL = f"{_CC}, §Fallacies and Pitfalls, 'a single accuracy metric captures model quality'"
FALLACY_A_ACCURACY = _c("fallacy_a_accuracy", "Model A accuracy", 0.95, "dimensionless", _FAL)
FALLACY_A_LATENCY = _c("fallacy_a_latency", "Model A latency", 500, "ms", _FAL)
FALLACY_B_ACCURACY = _c("fallacy_b_accuracy", "Model B accuracy", 0.93, "dimensionless", _FAL)
FALLACY_B_LATENCY = _c("fallacy_b_latency", "Model B latency", 50, "ms", _FAL)

# ---------------------------------------------------------------------------------------
# Models, architectures and search spaces
# ---------------------------------------------------------------------------------------
_ARCH = f"{_WF}, §Model Development, self-check on ResNet-152 vs. MobileNetV2"
RESNET152_MACS = _c(
    "resnet152_macs",
    "ResNet-152 variant, multiply-accumulates per inference",
    11,
    "GMAC",
    _ARCH,
    "'Roughly 11 GFLOPs' in the chapter, read as multiply-accumulates (the same "
    "convention as mobilenetv2_macs, so the ~37x ratio holds); 22 GFLOP when "
    "the multiply and the add are counted separately.",
)
MOBILENETV2_MACS = _c(
    "mobilenetv2_macs",
    "MobileNetV2, multiply-accumulates per inference",
    300,
    "MMAC",
    f"{_WF}, §Lifecycle Stages and footnote on depthwise separable convolutions",
    "The chapters write 'about 300 MFLOP(s)'. The course's convention: the "
    "chapters' model op counts (ResNet-50 4.1 G, ResNet-152 11 G, MobileNetV2 "
    "300 M) are multiply-accumulates (MACs), the usual way these models are "
    "quoted; one "
    "MAC is 2 FLOPs, so 300 MMAC = 600 MFLOP, the figure some sources and "
    "mlsysim versions print. The chapters use 300 M for both the ~37x and the "
    "13.7x ratios.",
)
RESNET50_MACS = _c(
    "resnet50_macs",
    "ResNet-50, multiply-accumulates per inference",
    4.1,
    "GMAC",
    f"{_CC}, §Synthesizing ML Systems (book reference constants, mlsysim)",
    "The chapter prints only the 13.7x ratio; 4.1 G over 300 M reproduces it. "
    "Same MAC convention as mobilenetv2_macs (8.2 GFLOP).",
)
MOBILENETV2_SIZE = _c(
    "mobilenetv2_size", "MobileNetV2 model size", 14, "MB", f"{_WF}, §Lifecycle Stages", "'About 14 MB'."
)
MOBILENETV2_PARAMS = _c(
    "mobilenetv2_params", "MobileNetV2 parameters", 3.5e6, "dimensionless", _MLSYSIM, "Not printed in the chapters."
)
RESNET50_PARAMS = _c(
    "resnet50_params", "ResNet-50 parameters", 25.6e6, "dimensionless", _MLSYSIM, "Not printed in the chapters."
)
DW_KERNEL_SIZE = _c(
    "dw_kernel_size",
    "Kernel size of the representative layer",
    3,
    "dimensionless",
    f"{_CC}, §Synthesizing ML Systems, MobileNetV2 journey table",
)
DW_OUTPUT_CHANNELS = _c(
    "dw_output_channels",
    "Output channels of the representative layer",
    256,
    "dimensionless",
    f"{_CC}, §Synthesizing ML Systems, MobileNetV2 journey table",
)
_GRID = f"{_WF}, §Model Development, footnote on hyperparameters"
GRID_VALUES_PER_HYPERPARAMETER = _c(
    "grid_values_per_hyperparameter", "Values tried per hyperparameter", 4, "dimensionless", _GRID
)
GRID_HYPERPARAMETERS = _c("grid_hyperparameters", "Hyperparameters searched", 5, "dimensionless", _GRID)
ENSEMBLE_MODELS_HIGH = _c(
    "ensemble_models_high",
    "Models in a competition-winning ensemble",
    50,
    "dimensionless",
    f"{_WF}, §Model Development, footnote on ensemble learning",
    "Competition entries typically combine 10 to 50 models.",
)
LLAMA2_70B_PARAMS = _c(
    "llama2_70b_params",
    "Llama 2 70B parameters",
    70e9,
    "dimensionless",
    f"{_CC}, §Thirteen Quantitative Invariants, Napkin Math 1.1 (cost of a token)",
)

# ---------------------------------------------------------------------------------------
# Amdahl and composed systems
# ---------------------------------------------------------------------------------------
_AMD = f"{_CC}, §Fallacies and Pitfalls, 'a single optimized pipeline stage makes the system fast'"
AMDAHL_ACCELERATED_FRACTION = _c(
    "amdahl_accelerated_fraction",
    "Share of request time in the accelerated kernel",
    0.10,
    "dimensionless",
    _AMD,
    "CPU-bound preprocessing takes the other 90 percent.",
)
AMDAHL_KERNEL_SPEEDUP = _c("amdahl_kernel_speedup", "Kernel speedup", 10, "dimensionless", _AMD)

# ---------------------------------------------------------------------------------------
# Workload archetypes (ML Workflow, iron law of workflow table) and other reference points
# ---------------------------------------------------------------------------------------
_ARCHETYPE = f"{_WF}, §Lifecycle Stages, table of workload archetypes"
KWS_SRAM = _c(
    "kws_sram",
    "Keyword-spotting device SRAM",
    256,
    "KB",
    _ARCHETYPE,
    "The chapter says a '256 KB SRAM-class device' (and 256 KB for TinyML in the "
    "paradigm pitfall); mlsysim's microcontroller reference has 512 KiB.",
)
KWS_POWER_BUDGET = _c(
    "kws_power_budget", "Always-on keyword-spotting power budget", 1, "mW", _ARCHETYPE, "'Often below 1 mW'."
)
DLRM_FEATURE_LOOKUP = _c("dlrm_feature_lookup", "Online feature-store lookup budget", 2, "ms", _ARCHETYPE)
DLRM_EMBEDDING_TABLES = _c(
    "dlrm_embedding_tables",
    "DLRM embedding tables (course example)",
    1,
    "TB",
    f"{_CC}, §Thirteen Quantitative Invariants (DLRM's 'terabyte-scale embedding tables')",
    "The chapter says only 'terabyte-scale'; the course takes 1 TB, the "
    "low end, stored at FP16. mlsysim's DLRM entry has 100 GB, which "
    "understates production tables.",
)
DLRM_P99_TARGET = _c("dlrm_p99_target", "Recommendation P99 latency target", 10, "ms", _ARCHETYPE)
RESNET_GPU_UTILIZATION = _c(
    "resnet_gpu_utilization",
    "Target GPU utilization for vision training",
    0.80,
    "dimensionless",
    _ARCHETYPE,
    "'>80% GPU utilization'.",
)
RESNET_BATCH_SIZE = _c(
    "resnet_batch_size", "Throughput-oriented batch size", 128, "dimensionless", _ARCHETYPE, "'Often >128'."
)
EXASCALE_RATE = _c(
    "exascale_rate",
    "Exascale sustained throughput",
    1e18,
    "FLOP / s",
    f"{_CC}, §Future Directions, Systems Perspective 1.1",
)
CANARY_TRAFFIC_LOW = _c(
    "canary_traffic_low",
    "Canary traffic share (low)",
    0.01,
    "dimensionless",
    f"{_WF}, §Evaluation and Validation, footnote on staged rollout",
)
CANARY_TRAFFIC_HIGH = _c(
    "canary_traffic_high",
    "Canary traffic share (high)",
    0.05,
    "dimensionless",
    f"{_WF}, §Evaluation and Validation, footnote on staged rollout",
)
DR_FAILED_QUALITY_SHARE = _c(
    "dr_failed_quality_share",
    "Images failing quality checks in the Thai deployment",
    0.21,
    "dimensionless",
    f"{_WF}, §ML Lifecycle, footnote on the lab-to-deployment gap (Beede et al. 2020)",
    "First six months of deployment.",
)
