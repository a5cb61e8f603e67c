"""mlsys_lab: calculators, constants and checks for the MLSys Lab course notebooks.

Importing the package is cheap: submodules (and pint, which they need) load on first
use, so ``import mlsys_lab; mlsys_lab.roofline.ridge_point(989, 3350)`` works without an
explicit ``import mlsys_lab.roofline``.

Layout by role
--------------
The modules live in four role folders, but every module keeps its flat public name:
``mlsys_lab.checks`` *is* ``mlsys_lab.course.checks`` (the same module object), so
``import mlsys_lab as ml; ml.bandwidth.upload_time(...)`` and
``from mlsys_lab.checks import expect_choice`` work as they always did. ``HOMES`` below is
the one table of flat name -> folder.

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
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from typing import Any

from .errors import InputError

__version__ = "0.1.0"

# The one table: flat public name -> the role folder that holds the module.
HOMES: dict[str, str] = {
    "records": "facts",
    "constants": "facts",
    "hardware": "facts",
    "lighthouses": "facts",
    "roofline": "science",
    "token_cost": "science",
    "precision": "science",
    "propagation": "science",
    "contracts": "science",
    "iteration": "science",
    "bandwidth": "science",
    "storage": "science",
    "economics": "science",
    "screening": "science",
    "evaluation": "science",
    "drift": "science",
    "monitoring": "science",
    "latency": "science",
    "amdahl": "science",
    "reliability": "science",
    "energy": "science",
    "architecture": "science",
    "feedback": "science",
    "survey": "science",
    "locality": "science",
    "lifecycle": "science",
    "search": "science",
    "provenance": "science",
    "rollout": "science",
    "data_value": "science",
    "invariants": "science",
    "pareto": "science",
    "telemetry": "data",
    "subgroups": "data",
    "emergence": "data",
    "skew": "data",
    "checks": "course",
    "variants": "course",
    "notebook": "course",
    "live_mode": "course",
    "function_cases": "course",
    "ledger": "course",
}

# Modules and packages that sit directly in mlsys_lab/.
_TOP_LEVEL: tuple[str, ...] = ("units", "errors", "viz")
ROLES: tuple[str, ...] = ("facts", "science", "data", "course")

_SUBMODULES: tuple[str, ...] = (*_TOP_LEVEL, *HOMES)

# Names re-exported lazily from the units module.
_FROM_UNITS = ("ureg", "Q_")

__all__ = ["__version__", "InputError", *_FROM_UNITS, *_SUBMODULES]


def real_name(name: str) -> str:
    """The full module path behind a flat public name: ``real_name("checks")`` is
    ``"mlsys_lab.course.checks"``."""
    home = HOMES.get(name)
    return f"{__name__}.{home}.{name}" if home else f"{__name__}.{name}"


class _FlatNames(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import ``mlsys_lab.<name>`` as the module ``mlsys_lab.<home>.<name>`` (the same object)."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != __name__ or name not in HOMES:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec):
        module = importlib.import_module(real_name(spec.name.rpartition(".")[2]))
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module):
        # the import system stamped the alias spec on the real module: give it back its own
        real_spec = getattr(module.__spec__, "loader_state", None)
        if real_spec is not None:
            module.__spec__ = real_spec

    def get_code(self, fullname):
        """For ``python -m mlsys_lab.<name>``: run the real module as ``__main__``."""
        target = real_name(fullname.rpartition(".")[2])
        source = f"import runpy\nrunpy.run_module({target!r}, run_name='__main__', alter_sys=True)\n"
        return compile(source, f"<{fullname}: {target}>", "exec")


# one finder per process, even if the package is imported afresh (a test that purges sys.modules)
if not any(type(finder).__qualname__ == "_FlatNames" for finder in sys.meta_path):
    sys.meta_path.insert(0, _FlatNames())


def __getattr__(name: str) -> Any:
    if name in _FROM_UNITS:
        units = importlib.import_module(".units", __name__)
        return getattr(units, name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
