"""Plot, widget and device table for the clinic bandwidth budget.

Follows *ML Workflow*, §Data Collection: Napkin Math 1.2 (bandwidth vs. compute) and the
footnote on the NVIDIA Jetson family. A rural clinic's photos either fit through its
uplink during the working day or they do not; when they do not, the analysis has to move
to a device in the clinic and only short summaries travel. Every number here comes from
:mod:`mlsys_lab.science.bandwidth` or :mod:`mlsys_lab.facts.hardware`; this module only draws, wires
sliders and lays out a table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..facts import constants as C
from ..facts import hardware as hw
from ..science import bandwidth as bw
from ..units import Q_, Number, positive_quantity
from . import alt_text, figure_or_note

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# numpy and matplotlib load inside the plot only: the widget needs pint alone, so it runs in
# the site's live mode even where Pyodide's numpy cannot load (no network)

__all__ = ["plot_upload_hours", "clinic_bandwidth_widget", "edge_device_table"]


@figure_or_note
def plot_upload_hours(
    patients: Number = C.CLINIC_PATIENTS_PER_DAY,
    photos_per_patient: Number = C.CLINIC_PHOTOS_PER_PATIENT,
    photo_size: Number = C.CLINIC_PHOTO_SIZE,
    operating_time: Number = C.CLINIC_DAY,
    summary_size: Number = C.EDGE_SUMMARY_SIZE,
    uplink_range: tuple[float, float] = (0.25, 100.0),
    mark_uplink: Number = C.CLINIC_UPLINK,
) -> Figure:
    """Hours needed to upload one day of raw photos, and of edge summaries, against the
    uplink speed (Mb/s), with the length of the clinic day as a horizontal line.

    Both axes are logarithmic so that raw photos (hours) and summaries (seconds) fit on
    one chart. Defaults are the chapter's clinic; ``mark_uplink`` (Mb/s, or ``None``)
    adds a dotted vertical line at one link speed. Plain sizes: photos in MB, summaries
    in KB; plain ``operating_time`` in hours.
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullFormatter

    low, high = uplink_range
    speeds = np.geomspace(low, high, 25)
    raw_hours, summary_hours = [], []
    for s in speeds:
        day = bw.clinic_bandwidth(patients, photos_per_patient, photo_size, Q_(s, "Mb/s"), operating_time, summary_size)
        raw_hours.append(day.upload_hours.to("hour").magnitude)
        summary_hours.append(bw.upload_time(day.summary_volume, Q_(s, "Mb/s")).to("hour").magnitude)
    day_hours = positive_quantity(operating_time, "hour", "operating_time").magnitude

    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.subplots()
    ax.loglog(speeds, raw_hours, color="C3", label="raw photos, one day's worth")
    ax.loglog(speeds, summary_hours, color="C0", label="edge summaries, one day's worth")
    ax.axhline(day_hours, color="0.3", linestyle="--", linewidth=1, label=f"clinic day ({day_hours:g} h)")
    if mark_uplink is not None:
        mark = positive_quantity(mark_uplink, "Mb / s", "mark_uplink").magnitude
        ax.axvline(mark, color="0.5", linestyle=":", linewidth=1, label=f"uplink of {mark:g} Mb/s")
    ticks = [t for t in (0.25, 0.5, 1, 2, 5, 10, 20, 50, 100) if low <= t <= high]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_xticks([], minor=True)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("uplink speed (Mb/s)")
    ax.set_ylabel("upload time (hours)")
    ax.set_title("Does a day of screening fit through the clinic's uplink?")
    ax.legend(loc="lower left", fontsize=8)
    needed = speeds[0] * raw_hours[0] / day_hours  # upload time falls as 1/speed
    crossing = (
        f"they fit within the {day_hours:g}-hour clinic day from {needed:.3g} Mb/s up"
        if needed <= high
        else f"they never fit within the {day_hours:g}-hour clinic day here"
    )
    return alt_text(
        fig,
        (
            f"Log-log chart of upload time against uplink speed from {low:g} to {high:g} Mb/s. "
            f"A day's raw photos take {raw_hours[0]:,.0f} hours at {low:g} Mb/s and "
            f"{raw_hours[-1]:.2g} hours at {high:g} Mb/s; {crossing}. Edge summaries take at most "
            f"{max(summary_hours) * 3600:,.0f} seconds at any speed shown."
        ),
    )


def clinic_bandwidth_widget(
    patients: int = round(C.CLINIC_PATIENTS_PER_DAY.m_as("dimensionless")),
    photos_per_patient: int = round(C.CLINIC_PHOTOS_PER_PATIENT.m_as("dimensionless")),
    photo_mb: float = C.CLINIC_PHOTO_SIZE.m_as("MB"),
    uplink_mbps: float = C.CLINIC_UPLINK.m_as("Mb/s"),
    clinic_hours: float = C.CLINIC_DAY.m_as("hour"),
    summary_kb: float = C.EDGE_SUMMARY_SIZE.m_as("KB"),
):
    """Sliders for one clinic's day; prints what
    :func:`mlsys_lab.science.bandwidth.clinic_bandwidth` computes: the day's raw volume, the time
    to upload it, the share of the clinic day that takes, and how many times less data
    per-patient summaries would move. Works once, statically, too.
    """
    import ipywidgets as widgets

    def show(
        patients: int,
        photos_per_patient: int,
        photo_mb: float,
        uplink_mbps: float,
        clinic_hours: float,
        summary_kb: float,
    ) -> None:
        day = bw.clinic_bandwidth(
            patients,
            photos_per_patient,
            Q_(photo_mb, "MB"),
            Q_(uplink_mbps, "Mb/s"),
            Q_(clinic_hours, "hour"),
            Q_(summary_kb, "KB"),
        )
        verdict = "does NOT fit" if day.share_of_day > 1 else "fits"
        print(f"raw photos per day:      {day.daily_volume.to('GB').magnitude:,.2f} GB")
        print(f"upload time:             {day.upload_hours.to('hour').magnitude:,.2f} h")
        print(f"share of the clinic day: {day.share_of_day:.1%}  (raw upload {verdict})")
        print(
            f"summaries instead:       {day.summary_volume.to('MB').magnitude:,.2f} MB, {day.reduction:,.0f}x less data"
        )

    style = {"description_width": "initial"}
    return widgets.interactive(
        show,
        patients=widgets.IntSlider(
            value=patients, min=10, max=400, step=10, description="patients per day", style=style
        ),
        photos_per_patient=widgets.IntSlider(
            value=photos_per_patient, min=1, max=20, description="photos per patient", style=style
        ),
        photo_mb=widgets.FloatSlider(
            value=photo_mb, min=0.5, max=40, step=0.5, description="photo size (MB)", style=style
        ),
        # powers of 2 in quarter steps (0.125 to 256 Mb/s): the chapter's 2 Mb/s is a stop of
        # the slider, so a browser does not snap it to a neighbour and compute with that
        uplink_mbps=widgets.FloatLogSlider(
            value=uplink_mbps, base=2, min=-3, max=8, step=0.25, description="uplink (Mb/s)", style=style
        ),
        clinic_hours=widgets.FloatSlider(
            value=clinic_hours, min=4, max=24, step=0.5, description="clinic hours", style=style
        ),
        summary_kb=widgets.FloatSlider(
            value=summary_kb, min=1, max=200, step=1, description="summary per patient (KB)", style=style
        ),
    )


_JETSON_POWER_RANGE = {
    "jetson_orin_nano": "7–15 W",
    "jetson_orin_nx": "10–25 W",
    "jetson_orin_agx": "15–60 W",
}


def edge_device_table(device_ids: tuple[str, ...] = tuple(_JETSON_POWER_RANGE)):
    """An HTML table of edge devices from :mod:`mlsys_lab.facts.hardware`: dense INT8 and FP32
    peaks, memory, memory bandwidth, power envelope and list price where known.

    The power column shows the configurable range the chapter's Jetson footnote gives
    (the device record stores its upper end).
    """
    from IPython.display import HTML

    header = (
        "device",
        "INT8 peak (TOPS, dense)",
        "FP32 peak (TFLOP/s)",
        "memory (GB)",
        "memory bandwidth (GB/s)",
        "power envelope",
        "list price (USD)",
    )
    rows = []
    for key in device_ids:
        d = hw.get_device(key)
        power = _JETSON_POWER_RANGE.get(key, f"{d.power.to('W').magnitude:g} W")
        price = "—" if d.price is None else f"{d.price.to('USD').magnitude:,.0f}"
        fp32 = d.peak("fp32").to("TFLOP/s").magnitude if "fp32" in d.precisions else float("nan")
        rows.append(
            (
                d.name,
                f"{d.peak('int8').to('TFLOP/s').magnitude:g}",
                f"{fp32:g}",
                f"{d.memory_capacity.to('GB').magnitude:g}",
                f"{d.memory_bandwidth.to('GB/s').magnitude:g}",
                power,
                price,
            )
        )
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return HTML(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
