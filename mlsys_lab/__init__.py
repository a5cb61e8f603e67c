"""mlsys_lab: calculators, constants and checks for the MLSys Lab course notebooks.

Importing the package is cheap: submodules (and pint, which they need) load on first
use, so ``import mlsys_lab; mlsys_lab.roofline.ridge_point(989, 3350)`` works without an
explicit ``import mlsys_lab.roofline``.

Modules
-------
units         the single pint registry (``ureg``, ``Q_``) and argument checks
errors        ``InputError``, raised for every bad argument
constants     every figure the two chapters use, with provenance
hardware      reference devices (H100, Jetson Orin, mobile NPU, microcontroller), devices to hold a model
roofline      iron law, ridge point, attainable performance
token_cost    cost of one decode token (memory vs. compute)
precision     bytes per parameter, memory ratios
propagation   constraint propagation cost multipliers 2**(N-1)
contracts     stage interface contracts and hand-off audits
iteration     the iteration tax, time to reach a target accuracy
bandwidth     bandwidth vs. compute at the clinic
storage       storage tier prices
economics     cloud vs. edge deployment economics
screening     sensitivity, specificity, PPV/NPV
evaluation    test-set statistics, calibration, subgroup metrics
drift         PSI and KS drift tests
monitoring    the four metric families and their alert rules
latency       latency budgets, tail ratios, composed requests
amdahl        Amdahl's law
reliability   fleet MTBF
energy        data movement vs. compute energy
architecture  convolution costs, model ratios, grid search
feedback      bias feedback growth
survey        where practitioners' time goes (survey shares)
locality      what one access costs at each memory tier, in L1 hits
lifecycle     the six stages, the two pipelines and the feedback loops
search        hyperparameter grid sizes and their cost
provenance    the parts of a reproducible artifact, run records and their diffs
rollout       staged rollout stages, patients exposed, requests served before a rollback
telemetry     a seeded synthetic week of clinic telemetry and lineage log
subgroups     a synthetic screening cohort with subgroups
emergence     a synthetic network of clinics where one subgroup degrades
data_value    learning curves and the marginal value of more data
lighthouses   the five Lighthouse workloads and their characteristics
invariants    the thirteen invariants, their four phases and the cycle that links them
pareto        accuracy/latency Pareto frontiers
skew          training-serving skew from a preprocessing change
ledger        every worked figure of both chapters, recomputed
checks        answer checks used by the notebooks' tests
variants      per-student numbers and option orders (keyed hash of the roster id)
notebook      what a chapter notebook's first cell calls
viz           plots and widgets, one module per concept
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import InputError

__version__ = "0.1.0"

_SUBMODULES: tuple[str, ...] = (
    "units",
    "errors",
    "constants",
    "hardware",
    "roofline",
    "token_cost",
    "precision",
    "propagation",
    "contracts",
    "iteration",
    "bandwidth",
    "storage",
    "economics",
    "screening",
    "evaluation",
    "drift",
    "monitoring",
    "latency",
    "amdahl",
    "reliability",
    "energy",
    "architecture",
    "feedback",
    "survey",
    "locality",
    "lifecycle",
    "search",
    "provenance",
    "rollout",
    "telemetry",
    "subgroups",
    "emergence",
    "data_value",
    "lighthouses",
    "invariants",
    "pareto",
    "skew",
    "ledger",
    "checks",
    "variants",
    "notebook",
    "viz",
)

# Names re-exported lazily from the units module.
_FROM_UNITS = ("ureg", "Q_")

__all__ = ["__version__", "InputError", *_FROM_UNITS, *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _FROM_UNITS:
        units = importlib.import_module(".units", __name__)
        return getattr(units, name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
