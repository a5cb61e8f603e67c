"""Cloud vs. edge deployment economics for the DR screening network.

ML Workflow, §Deployment and Integration, Napkin Math 1.3. Inputs (defaults of every
function here): 500 clinics, 50 patients a day, one billable image per patient, 365
days a year.

* Volume: 500 x 50 x 365 = 9,125,000 images a year, about 760,000 a month.
* Cloud: 9,125,000 x $0.01 = $91,250 a year of inference, plus ~$45,000 a year to upload
  5 MB per image, for $136,250 a year.
* Edge: 500 devices x $500 = $250,000 up front; 9,125,000 x $0.001 = $9,125 a year of
  electricity plus $25,000 of maintenance, for $34,125 a year.
* Payback: $250,000 / ($136,250 - $34,125 per year) = 2.448 years, printed as ~2.4: rounded
  once to one decimal it is 2.4 (2.45 is the two-decimal display; rounding that again would
  wrongly give 2.5).

The $45,000 network figure is given in the chapter, not derived; ``network_cost`` and
``implied_price_per_gb`` show what it implies (about $0.99 per GB for 45,625 GB a year).
Money is in USD; yearly amounts are USD/year quantities and capital is plain USD.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..facts import constants as C
from ..units import (
    Q_,
    Number,
    nonnegative_quantity,
    positive_quantity,
    require_count,
)

__all__ = [
    "images_per_year",
    "images_per_month",
    "CloudCost",
    "cloud_annual_cost",
    "EdgeCost",
    "edge_costs",
    "payback_years",
    "CumulativeCosts",
    "cumulative_costs",
    "DeploymentComparison",
    "compare_deployments",
    "network_cost",
    "implied_price_per_gb",
]

_YEAR = Q_(1, "year")


def images_per_year(
    clinics: Number = C.ECON_CLINICS,
    patients_per_day: Number = C.ECON_PATIENTS_PER_DAY,
    images_per_patient: Number = C.ECON_IMAGES_PER_PATIENT,
    days_per_year: Number = C.ECON_DAYS_PER_YEAR,
) -> int:
    """Billable images a year: clinics x patients/day x images/patient x days (9,125,000)."""
    return (
        require_count(clinics, "clinics")
        * require_count(patients_per_day, "patients_per_day")
        * require_count(images_per_patient, "images_per_patient")
        * require_count(days_per_year, "days_per_year")
    )


def images_per_month(
    clinics: Number = C.ECON_CLINICS,
    patients_per_day: Number = C.ECON_PATIENTS_PER_DAY,
    images_per_patient: Number = C.ECON_IMAGES_PER_PATIENT,
    days_per_year: Number = C.ECON_DAYS_PER_YEAR,
) -> float:
    """``images_per_year(...) / 12``: about 760,417 with the chapter's inputs (~760,000)."""
    return images_per_year(clinics, patients_per_day, images_per_patient, days_per_year) / 12.0


@dataclass(frozen=True)
class CloudCost:
    """Yearly cloud running cost: ``inference``, ``network`` and ``total`` (USD/year)."""

    images_per_year: int
    inference: Number
    network: Number
    total: Number


def cloud_annual_cost(
    clinics: Number = C.ECON_CLINICS,
    patients_per_day: Number = C.ECON_PATIENTS_PER_DAY,
    price_per_image: Number = C.CLOUD_PRICE_PER_IMAGE,
    network: Number = C.CLOUD_NETWORK_COST,
    *,
    images_per_patient: Number = C.ECON_IMAGES_PER_PATIENT,
    days_per_year: Number = C.ECON_DAYS_PER_YEAR,
) -> CloudCost:
    """Cloud inference: images/year x price/image, plus the yearly network bill.

    Plain numbers: ``price_per_image`` in USD, ``network`` in USD/year. Chapter inputs give
    $91,250 + $45,000 = $136,250 a year.
    """
    n = images_per_year(clinics, patients_per_day, images_per_patient, days_per_year)
    price = nonnegative_quantity(price_per_image, "USD", "price_per_image")
    net = nonnegative_quantity(network, "USD / year", "network")
    inference = (n * price / _YEAR).to("USD / year")
    return CloudCost(images_per_year=n, inference=inference, network=net, total=(inference + net).to("USD / year"))


@dataclass(frozen=True)
class EdgeCost:
    """Edge deployment: ``capex`` (USD) and yearly ``inference``, ``maintenance`` and
    ``annual`` running cost (USD/year)."""

    images_per_year: int
    capex: Number
    inference: Number
    maintenance: Number
    annual: Number


def edge_costs(
    clinics: Number = C.ECON_CLINICS,
    device_price: Number = C.EDGE_DEVICE_PRICE,
    price_per_image: Number = C.EDGE_PRICE_PER_IMAGE,
    maintenance: Number = C.EDGE_MAINTENANCE,
    *,
    patients_per_day: Number = C.ECON_PATIENTS_PER_DAY,
    images_per_patient: Number = C.ECON_IMAGES_PER_PATIENT,
    days_per_year: Number = C.ECON_DAYS_PER_YEAR,
    devices_per_clinic: Number = 1,
) -> EdgeCost:
    """One device per clinic up front, then electricity per image plus maintenance.

    Plain numbers: ``device_price`` and ``price_per_image`` in USD, ``maintenance`` in
    USD/year. Chapter inputs: $250,000 up front and $9,125 + $25,000 = $34,125 a year.
    """
    n_clinics = require_count(clinics, "clinics")
    per_clinic = require_count(devices_per_clinic, "devices_per_clinic")
    price = nonnegative_quantity(device_price, "USD", "device_price")
    capex = (n_clinics * per_clinic * price).to("USD")
    n = images_per_year(n_clinics, patients_per_day, images_per_patient, days_per_year)
    per_image = nonnegative_quantity(price_per_image, "USD", "price_per_image")
    upkeep = nonnegative_quantity(maintenance, "USD / year", "maintenance")
    inference = (n * per_image / _YEAR).to("USD / year")
    return EdgeCost(
        images_per_year=n,
        capex=capex,
        inference=inference,
        maintenance=upkeep,
        annual=(inference + upkeep).to("USD / year"),
    )


def payback_years(capex: Number, cloud_annual: Number, edge_annual: Number):
    """Years for the edge capital to be repaid by lower running costs.

    ``capex / (cloud_annual - edge_annual)`` as a quantity in years; infinite when the
    edge option saves nothing per year. Plain numbers: ``capex`` in USD, the yearly costs
    in USD/year. Chapter: 250,000 / (136,250 - 34,125) = 2.448 years, printed as ~2.4.
    """
    cap = nonnegative_quantity(capex, "USD", "capex")
    cloud = nonnegative_quantity(cloud_annual, "USD / year", "cloud_annual")
    edge = nonnegative_quantity(edge_annual, "USD / year", "edge_annual")
    savings = cloud - edge
    if savings.magnitude <= 0:
        return Q_(float("inf"), "year")
    return (cap / savings).to("year")


@dataclass(frozen=True)
class CumulativeCosts:
    """Cumulative spend for plotting: ``years`` (year array), ``cloud`` and ``edge`` (USD
    arrays) and the ``payback`` time (year)."""

    years: Any
    cloud: Any
    edge: Any
    payback: Number


def cumulative_costs(
    horizon: Number = 5,
    cloud: CloudCost | None = None,
    edge: EdgeCost | None = None,
    points: int = 61,
) -> CumulativeCosts:
    """Cumulative cloud and edge spend from year 0 to ``horizon`` (years).

    Cloud spend is ``total x t``; edge spend is ``capex + annual x t``. The curves cross
    at the payback time.
    """
    import numpy as np

    h = positive_quantity(horizon, "year", "horizon")
    n_points = require_count(points, "points", minimum=2)
    cloud = cloud_annual_cost() if cloud is None else cloud
    edge = edge_costs() if edge is None else edge
    t = np.linspace(0.0, h.magnitude, n_points)
    cloud_usd = cloud.total.to("USD / year").magnitude * t
    edge_usd = edge.capex.to("USD").magnitude + edge.annual.to("USD / year").magnitude * t
    return CumulativeCosts(
        years=Q_(t, "year"),
        cloud=Q_(cloud_usd, "USD"),
        edge=Q_(edge_usd, "USD"),
        payback=payback_years(edge.capex, cloud.total, edge.annual),
    )


@dataclass(frozen=True)
class DeploymentComparison:
    """Napkin Math 1.3 in one record."""

    images_per_month: float
    cloud: CloudCost
    edge: EdgeCost
    payback: Number


def compare_deployments(
    clinics: Number = C.ECON_CLINICS,
    patients_per_day: Number = C.ECON_PATIENTS_PER_DAY,
    cloud_price_per_image: Number = C.CLOUD_PRICE_PER_IMAGE,
    cloud_network: Number = C.CLOUD_NETWORK_COST,
    device_price: Number = C.EDGE_DEVICE_PRICE,
    edge_price_per_image: Number = C.EDGE_PRICE_PER_IMAGE,
    edge_maintenance: Number = C.EDGE_MAINTENANCE,
) -> DeploymentComparison:
    """Cloud and edge costs and the payback time (defaults: the chapter's inputs)."""
    cloud = cloud_annual_cost(clinics, patients_per_day, cloud_price_per_image, cloud_network)
    edge = edge_costs(clinics, device_price, edge_price_per_image, edge_maintenance, patients_per_day=patients_per_day)
    return DeploymentComparison(
        images_per_month=cloud.images_per_year / 12.0,
        cloud=cloud,
        edge=edge,
        payback=payback_years(edge.capex, cloud.total, edge.annual),
    )


def network_cost(volume: Number, price_per_gb: Number):
    """Transfer cost ``volume x price`` (USD); plain numbers in GB and USD/GB."""
    v = nonnegative_quantity(volume, "GB", "volume")
    price = nonnegative_quantity(price_per_gb, "USD / GB", "price_per_gb")
    return (v * price).to("USD")


def implied_price_per_gb(
    yearly_cost: Number = C.CLOUD_NETWORK_COST,
    images: Number | None = None,
    upload_size: Number = C.CLOUD_UPLOAD_SIZE,
):
    """Price per GB a yearly network bill implies for a given upload volume (USD/GB).

    With the chapter's inputs: $45,000 / (9,125,000 x 5 MB = 45,625 GB) = $0.99 per GB.
    """
    cost = positive_quantity(yearly_cost, "USD / year", "yearly_cost")
    n = images_per_year() if images is None else require_count(images, "images")
    size = positive_quantity(upload_size, "MB", "upload_size")
    volume = (n * size).to("GB")
    return (cost * _YEAR / volume).to("USD / GB")
