"""Plot and widget for cloud vs. edge deployment economics.

Follows *ML Workflow*, §Deployment and Integration, Napkin Math 1.3: a cloud endpoint costs
nothing up front but bills every image and every upload; edge devices cost money on day one
and little afterwards. The cumulative spend of the two options crosses at the payback
time. Every number comes from :mod:`mlsys_lab.science.economics`; this module only draws and wires
sliders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..facts import constants as C
from ..science import economics as econ
from ..units import Q_, Number
from . import alt_text, figure_or_note, show_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_cumulative_costs", "deployment_economics_widget"]


@figure_or_note
def plot_cumulative_costs(
    comparison: econ.DeploymentComparison | None = None,
    horizon: Number = 5,
    mark_payback: bool = True,
) -> Figure:
    """Cumulative spend (thousand USD) of the cloud and the edge option over ``horizon``
    years, with the payback time marked where the two lines cross.

    ``comparison`` is a :class:`mlsys_lab.science.economics.DeploymentComparison` (default: the
    chapter's inputs, :func:`mlsys_lab.science.economics.compare_deployments`).
    """
    from matplotlib.figure import Figure

    comp = econ.compare_deployments() if comparison is None else comparison
    curves = econ.cumulative_costs(horizon, comp.cloud, comp.edge)
    years = curves.years.to("year").magnitude
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(
        years,
        curves.cloud.to("USD").magnitude / 1e3,
        color="C0",
        label=f"cloud: {comp.cloud.total.to('USD/year').magnitude:,.0f} USD per year",
    )
    ax.plot(
        years,
        curves.edge.to("USD").magnitude / 1e3,
        color="C2",
        label=(
            f"edge: {comp.edge.capex.to('USD').magnitude:,.0f} USD up front + "
            f"{comp.edge.annual.to('USD/year').magnitude:,.0f} USD per year"
        ),
    )
    payback = curves.payback.to("year").magnitude
    if mark_payback and payback <= years[-1]:
        spend = comp.cloud.total.to("USD/year").magnitude * payback / 1e3
        ax.axvline(payback, color="0.4", linestyle=":", linewidth=1)
        ax.plot([payback], [spend], "o", color="C3", label=f"payback after {payback:.2f} years")
    ax.set_xlabel("time since deployment (years)")
    ax.set_ylabel("cumulative spend (thousand USD)")
    ax.set_xlim(0, years[-1])
    ax.set_ylim(bottom=0)
    ax.set_title("Cloud vs. edge: when do the devices pay for themselves?")
    ax.legend(loc="upper left", fontsize=8)
    cloud_per_year = comp.cloud.total.to("USD/year").magnitude
    edge_up_front = comp.edge.capex.to("USD").magnitude
    edge_per_year = comp.edge.annual.to("USD/year").magnitude
    if payback == float("inf"):
        crossing = "The lines never cross: the edge option saves nothing per year, so it never pays back."
    elif payback <= years[-1]:
        crossing = (
            f"The lines cross at the payback time, {payback:.2f} years, "
            + ("marked with a dot and a dotted line; " if mark_payback else "")
            + "after it the edge devices are the cheaper option."
        )
    else:
        crossing = f"The lines cross only after {payback:.2f} years, beyond the chart, so the cloud stays cheaper here."
    return alt_text(
        fig,
        f"Line chart of cumulative spend in thousand USD against years since deployment, over "
        f"{years[-1]:g} years. The cloud line starts at zero and climbs {cloud_per_year:,.0f} USD a "
        f"year; the edge line starts at {edge_up_front:,.0f} USD of devices and climbs "
        f"{edge_per_year:,.0f} USD a year. {crossing}",
    )


def deployment_economics_widget(
    clinics: int = round(C.ECON_CLINICS.m_as("dimensionless")),
    patients_per_day: int = round(C.ECON_PATIENTS_PER_DAY.m_as("dimensionless")),
    cloud_price_per_image: float = C.CLOUD_PRICE_PER_IMAGE.m_as("USD"),
    cloud_network_per_year: float = C.CLOUD_NETWORK_COST.m_as("USD/year"),
    device_price: float = C.EDGE_DEVICE_PRICE.m_as("USD"),
    edge_price_per_image: float = C.EDGE_PRICE_PER_IMAGE.m_as("USD"),
    edge_maintenance_per_year: float = C.EDGE_MAINTENANCE.m_as("USD/year"),
    horizon_years: float = 5,
):
    """Sliders for every input of Napkin Math 1.3 (defaults: the chapter's). Prints the
    yearly cloud bill, the edge capital and running cost and the payback time from
    :func:`mlsys_lab.science.economics.compare_deployments`, and redraws the cumulative-cost plot.
    Works once, statically, too.
    """
    import ipywidgets as widgets

    def show(
        clinics,
        patients_per_day,
        cloud_price_per_image,
        cloud_network_per_year,
        device_price,
        edge_price_per_image,
        edge_maintenance_per_year,
        horizon_years,
    ):
        comp = econ.compare_deployments(
            clinics,
            patients_per_day,
            cloud_price_per_image,
            cloud_network_per_year,
            device_price,
            edge_price_per_image,
            edge_maintenance_per_year,
        )
        payback = comp.payback.to("year").magnitude
        print(f"images per year:   {comp.cloud.images_per_year:,}")
        print(
            f"cloud, per year:   {comp.cloud.total.to('USD/year').magnitude:,.0f} USD "
            f"(inference {comp.cloud.inference.to('USD/year').magnitude:,.0f} + network "
            f"{comp.cloud.network.to('USD/year').magnitude:,.0f})"
        )
        print(f"edge, up front:    {comp.edge.capex.to('USD').magnitude:,.0f} USD")
        print(f"edge, per year:    {comp.edge.annual.to('USD/year').magnitude:,.0f} USD")
        print(
            "payback:           "
            + ("never (edge saves nothing per year)" if payback == float("inf") else f"{payback:.2f} years")
        )
        # the plot's end point, printed too: "years shown" moves a number even where no plot draws
        years = Q_(horizon_years, "year")
        cloud_spend = (comp.cloud.total * years).to("USD").magnitude
        edge_spend = (comp.edge.capex + comp.edge.annual * years).to("USD").magnitude
        print(f"spent in {horizon_years:g} years:  cloud {cloud_spend:,.0f} USD, edge {edge_spend:,.0f} USD")
        show_figure(plot_cumulative_costs(comp, horizon=horizon_years))

    style = {"description_width": "initial"}
    return widgets.interactive(
        show,
        clinics=widgets.IntSlider(value=clinics, min=10, max=2000, step=10, description="clinics", style=style),
        patients_per_day=widgets.IntSlider(
            value=patients_per_day, min=5, max=300, step=5, description="patients per clinic per day", style=style
        ),
        cloud_price_per_image=widgets.FloatSlider(
            value=cloud_price_per_image,
            min=0.001,
            max=0.05,
            step=0.001,
            readout_format=".3f",
            description="cloud USD per image",
            style=style,
        ),
        cloud_network_per_year=widgets.FloatSlider(
            value=cloud_network_per_year,
            min=0,
            max=200_000,
            step=5_000,
            readout_format=",.0f",
            description="cloud network USD per year",
            style=style,
        ),
        device_price=widgets.FloatSlider(
            value=device_price,
            min=50,
            max=5_000,
            step=50,
            readout_format=",.0f",
            description="edge device USD",
            style=style,
        ),
        edge_price_per_image=widgets.FloatSlider(
            value=edge_price_per_image,
            min=0.0,
            max=0.01,
            step=0.0005,
            readout_format=".4f",
            description="edge USD per image",
            style=style,
        ),
        edge_maintenance_per_year=widgets.FloatSlider(
            value=edge_maintenance_per_year,
            min=0,
            max=200_000,
            step=5_000,
            readout_format=",.0f",
            description="edge maintenance USD per year",
            style=style,
        ),
        horizon_years=widgets.FloatSlider(
            value=horizon_years, min=1, max=15, step=1, description="years shown", style=style
        ),
    )
