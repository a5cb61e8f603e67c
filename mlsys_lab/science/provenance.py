"""Lineage and reproducible artifacts: what a training run must remember about itself.

ML Workflow, §Model Development (reproducible system artifacts; reproducibility and
technical debt).

* A deliverable of model development is a bundle of four parts, not a weights file:
  the weights, the inference code (preprocessing included), the environment
  specification (container image or locked dependencies, drivers) and the configuration
  (hyperparameters and runtime settings). :func:`missing_parts` names what a bundle lacks.
* A lineage record ties one run to everything that produced it: data version, code
  commit, hyperparameters, environment, random seed and hardware. With such records,
  "what changed between run 47 and run 48?" is answered by :func:`diff_runs` instead of
  by weeks of re-running experiments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..errors import InputError

__all__ = ["ARTIFACT_PARTS", "missing_parts", "RunRecord", "LINEAGE_FIELDS", "diff_runs"]

#: The four parts of a reproducible model artifact, in the chapter's order.
ARTIFACT_PARTS: tuple[str, ...] = ("weights", "inference_code", "environment", "configuration")

_PART_ALIASES = {
    "model weights": "weights",
    "weights": "weights",
    "inference code": "inference_code",
    "code": "inference_code",
    "environment specification": "environment",
    "environment": "environment",
    "env": "environment",
    "configuration": "configuration",
    "config": "configuration",
}


def _part_key(name: Any) -> str:
    if not isinstance(name, str):
        raise InputError(f"bundle: part names must be strings, got {type(name).__name__}")
    key = " ".join(name.lower().replace("_", " ").replace("-", " ").split())
    return _PART_ALIASES.get(key, key.replace(" ", "_"))


def missing_parts(bundle: Mapping[str, Any] | Iterable[str]) -> list[str]:
    """The artifact parts absent from ``bundle`` (in :data:`ARTIFACT_PARTS` order).

    ``bundle`` is a mapping from part name to its content (a part whose content is
    ``None`` or empty counts as missing) or an iterable of part names.
    """
    if isinstance(bundle, (str, bytes)):
        raise InputError("bundle: expected a mapping or a list of part names, got a string")
    if isinstance(bundle, Mapping):
        present = {_part_key(k) for k, v in bundle.items() if v not in (None, "", {}, [])}
    else:
        present = {_part_key(k) for k in bundle}
    return [p for p in ARTIFACT_PARTS if p not in present]


#: What a lineage record links, besides the run's own id and result.
LINEAGE_FIELDS: tuple[str, ...] = (
    "data_version",
    "code_commit",
    "hyperparameters",
    "environment",
    "seed",
    "hardware",
)


@dataclass(frozen=True)
class RunRecord:
    """One training run and everything needed to reproduce it.

    ``hyperparameters`` and ``environment`` are mappings (e.g. ``{"lr": 3e-4}``,
    ``{"torch": "2.3.1", "cuda": "12.1"}``); ``metrics`` holds results such as
    ``{"val_accuracy": 0.912}``.
    """

    run_id: str
    data_version: str
    code_commit: str
    hyperparameters: Mapping[str, Any] = field(default_factory=dict, hash=False)
    environment: Mapping[str, Any] = field(default_factory=dict, hash=False)
    seed: int | None = None
    hardware: str = ""
    metrics: Mapping[str, Any] = field(default_factory=dict, hash=False)


def _flatten(prefix: str, value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return {f"{prefix}.{k}": v for k, v in value.items()}
    return {prefix: value}


def diff_runs(before: RunRecord, after: RunRecord) -> dict[str, tuple[Any, Any]]:
    """Lineage fields that differ between two runs: ``{field: (before, after)}``.

    Mappings are compared key by key (``"environment.cuda"``, ``"hyperparameters.lr"``);
    a key present in only one run shows ``None`` on the other side. Metrics are not
    compared: they are the effect, the lineage fields are the candidate causes.
    """
    for name, run in (("before", before), ("after", after)):
        if not isinstance(run, RunRecord):
            raise InputError(f"{name}: expected a RunRecord, got {type(run).__name__}")
    changes: dict[str, tuple[Any, Any]] = {}
    for name in LINEAGE_FIELDS:
        a = _flatten(name, getattr(before, name))
        b = _flatten(name, getattr(after, name))
        for key in sorted(set(a) | set(b)):
            old, new = a.get(key), b.get(key)
            if old != new:
                changes[key] = (old, new)
    return changes
