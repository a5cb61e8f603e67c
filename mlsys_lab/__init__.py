"""mlsys_lab: calculators, constants and checks for the MLSys Lab course notebooks.

Importing the package is cheap: submodules (and pint, which they need) load on first
use, so ``import mlsys_lab; mlsys_lab.science.roofline.ridge_point(989, 3350)`` works without an
explicit ``import mlsys_lab.science.roofline``.

Layout by role
--------------
Each module has one name, its path: ``mlsys_lab.science.roofline``, ``mlsys_lab.course.checks``.
Code imports that path. For notebooks, ``ml.<module>`` is a lazy attribute: the first use looks the
module up in the role folders below (no table to keep, no second import name; ``import
mlsys_lab.<module>`` fails on purpose).

=========  ==============================================================================
folder     what it holds
=========  ==============================================================================
facts/     sourced records: the chapters' constants, reference devices, Lighthouse workloads
science/   the chapters' calculators, one module per concept
data/      seeded synthetic data sets for the exercises and plots
viz/       plots and widgets, named after the calculators they draw
course/    course machinery: answer checks, the notebook start-up, variants, the ledger
=========  ==============================================================================

Modules
-------
units         (top level) the single pint registry (``ureg``, ``Q_``), ``Number`` and argument checks
errors        (top level) ``InputError``, raised for every bad argument
records       facts: the source record type and the one registry helper behind constants, devices, workloads
constants     facts: every figure the two chapters use, with provenance
hardware      facts: reference devices (H100, Jetson Orin, mobile NPU, microcontroller), devices to hold a model
lighthouses   facts: the five Lighthouse workloads and their characteristics
roofline      science: iron law, ridge point, attainable performance
token_cost    science: cost of one decode token (memory vs. compute)
precision     science: bytes per parameter, memory ratios
propagation   science: constraint propagation cost multipliers 2**(N-1)
contracts     science: stage interface contracts and hand-off audits
iteration     science: the iteration tax, time to reach a target accuracy
bandwidth     science: bandwidth vs. compute at the clinic
storage       science: storage tier prices
economics     science: cloud vs. edge deployment economics
screening     science: sensitivity, specificity, PPV/NPV
evaluation    science: test-set statistics, calibration, subgroup metrics
drift         science: PSI and KS drift tests
monitoring    science: the four metric families and their alert rules
latency       science: latency budgets, tail ratios, composed requests
amdahl        science: Amdahl's law
reliability   science: fleet MTBF
energy        science: data movement vs. compute energy
architecture  science: convolution costs, model ratios
feedback      science: bias feedback growth
survey        science: where practitioners' time goes (survey shares)
locality      science: what one access costs at each memory tier, in L1 hits
lifecycle     science: the six stages, the two pipelines and the feedback loops
search        science: hyperparameter grid sizes and their cost
provenance    science: the parts of a reproducible artifact, run records and their diffs
rollout       science: staged rollout stages, patients exposed, requests served before a rollback
data_value    science: learning curves and the marginal value of more data
invariants    science: the thirteen invariants, their four phases and the cycle that links them
pareto        science: accuracy/latency Pareto frontiers
telemetry     data: a seeded synthetic week of clinic telemetry and lineage log
subgroups     data: a synthetic screening cohort with subgroups
emergence     data: a synthetic network of clinics where one subgroup degrades
skew          data: training-serving skew from a preprocessing change, simulated
checks        course: answer checks used by the notebooks' tests
variants      course: per-student numbers and option orders (keyed hash of the roster id)
notebook      course: what a chapter notebook's first cell calls
live_mode     course: the site's live mode: what loaded, and plots that say why they are missing
function_cases course: the hidden cases of the function exercises, with their reference calculators
ledger        course: every worked figure of both chapters, recomputed
viz           plots and widgets, one module per concept
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from .errors import InputError

__version__ = "0.1.0"

ROLES: tuple[str, ...] = ("facts", "science", "data", "course")
"""The role folders ``ml.<module>`` looks through, in this order (``viz`` is reached as ``ml.viz.<module>``)."""

_TOP_LEVEL: tuple[str, ...] = ("units", "errors", "viz")
_FROM_UNITS = ("ureg", "Q_")
_HERE = Path(__file__).resolve().parent


def role_of(name: str) -> str | None:
    """The role folder that holds module ``name`` (``role_of("checks") == "course"``), or ``None``."""
    for role in ROLES:
        if (_HERE / role / f"{name}.py").is_file():
            return role
    return None


def module_names() -> list[str]:
    """Every module reachable as ``ml.<name>``: the top-level ones and those of the role folders."""
    found = {f.stem for role in ROLES for f in (_HERE / role).glob("*.py") if f.stem != "__init__"}
    return sorted(found | set(_TOP_LEVEL))


def __getattr__(name: str) -> ModuleType | object:
    if name in _FROM_UNITS:
        return getattr(importlib.import_module(".units", __name__), name)
    role = None if name in _TOP_LEVEL or name in ROLES or name.startswith("_") else role_of(name)
    if name in _TOP_LEVEL or name in ROLES or role:
        module = importlib.import_module(f".{role}.{name}" if role else f".{name}", __name__)
        globals()[name] = module  # later lookups skip this function
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"InputError", *_FROM_UNITS, *module_names()})


__all__ = ["__version__", "InputError", *_FROM_UNITS]
