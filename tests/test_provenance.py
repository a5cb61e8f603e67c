"""Tests for mlsys_lab.science.provenance (ML Workflow, §Model Development: artifacts and lineage)."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.science import provenance as P


def test_four_artifact_parts():
    assert P.ARTIFACT_PARTS == ("weights", "inference_code", "environment", "configuration")


def test_missing_parts_of_a_weights_only_bundle():
    assert P.missing_parts({"weights": "model.pt"}) == ["inference_code", "environment", "configuration"]


def test_missing_parts_accepts_names_and_aliases():
    assert P.missing_parts(["Model weights", "inference code", "environment specification", "config"]) == []
    assert P.missing_parts({"weights": "w", "config": {}, "code": "infer.py", "env": None}) == [
        "environment",
        "configuration",
    ]


def test_missing_parts_rejects_a_string():
    with pytest.raises(InputError):
        P.missing_parts("weights")


def _run(run_id, **changes):
    base = dict(
        run_id=run_id,
        data_version="dr-v7",
        code_commit="a1b2c3d",
        hyperparameters={"lr": 3e-4, "batch": 64},
        environment={"torch": "2.3.1", "cuda": "12.1"},
        seed=17,
        hardware="A100",
    )
    base.update(changes)
    return P.RunRecord(**base)


def test_diff_runs_names_only_what_changed():
    before = _run("47")
    after = _run("48", environment={"torch": "2.4.0", "cuda": "12.1"}, seed=18)
    assert P.diff_runs(before, after) == {
        "environment.torch": ("2.3.1", "2.4.0"),
        "seed": (17, 18),
    }


def test_diff_runs_of_identical_lineage_is_empty_even_if_metrics_differ():
    assert P.diff_runs(_run("1", metrics={"acc": 0.9}), _run("2", metrics={"acc": 0.8})) == {}


def test_diff_runs_key_on_one_side_only():
    after = _run("48", hyperparameters={"lr": 3e-4, "batch": 64, "warmup": 500})
    assert P.diff_runs(_run("47"), after) == {"hyperparameters.warmup": (None, 500)}


def test_diff_runs_rejects_other_objects():
    with pytest.raises(InputError):
        P.diff_runs({"run_id": "1"}, _run("2"))
