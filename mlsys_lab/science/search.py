"""Hyperparameter search and experiment campaigns: why their cost multiplies.

ML Workflow, §Model Development (footnote on hyperparameters, and constraint-driven
development). Every point of a search grid is an independent, complete training run, so
the number of runs is the *product* of the number of values tried for each setting:
searching 5 hyperparameters at 4 values each means ``4**5 = 1,024`` trainings. The same
arithmetic applies one level up: a few model variants, times a few sweeps, times a few
preprocessing pipelines quickly adds up to about a hundred runs, and at hundreds to
thousands of dollars per run an experiment cycle can cost six figures.

The uniform grid (``values ** hyperparameters``) is
:func:`grid_runs` (the one place the grid count is computed); this module adds grids whose settings
take different numbers of values, campaigns, and their bill and calendar time.

Plain-number defaults: ``cost_per_run`` in USD, ``run_duration`` in hours.
"""

from __future__ import annotations

import math

from ..errors import InputError
from ..units import Number, positive_quantity, require_count

__all__ = ["grid_runs", "campaign_runs", "search_cost", "search_time"]


def grid_runs(values_per_hyperparameter: Number, hyperparameters: Number | None = None) -> int:
    """Number of full training runs an exhaustive grid search needs.

    Two forms:

    * ``grid_runs(4, 5)``: 5 hyperparameters with 4 values each, ``4**5 = 1024``;
    * ``grid_runs([6, 3, 3, 2])``: one count of values per hyperparameter, multiplied
      together (``6 x 3 x 3 x 2 = 108``).
    """
    if isinstance(values_per_hyperparameter, (list, tuple)):
        if hyperparameters is not None:
            raise InputError(
                "hyperparameters: give either a list of value counts or one count and a "
                "number of hyperparameters, not both"
            )
        if not values_per_hyperparameter:
            raise InputError("values_per_hyperparameter: the list of value counts is empty")
        counts = [require_count(v, f"values_per_hyperparameter[{i}]") for i, v in enumerate(values_per_hyperparameter)]
        return math.prod(counts)
    if hyperparameters is None:
        raise InputError(
            "hyperparameters: how many hyperparameters share this number of values? "
            "(or pass a list with one value count per hyperparameter)"
        )
    v = require_count(values_per_hyperparameter, "values_per_hyperparameter")
    h = require_count(hyperparameters, "hyperparameters")
    return v**h


def campaign_runs(*factors: Number) -> int:
    """Runs in an experiment campaign whose choices multiply.

    ``campaign_runs(3, 8, 4)``: 3 model variants x 8 sweep settings x 4 preprocessing
    pipelines = 96 runs.
    """
    if not factors:
        raise InputError("factors: give at least one number of choices")
    counts = [require_count(f, f"factors[{i}]") for i, f in enumerate(factors)]
    return math.prod(counts)


def search_cost(runs: Number, cost_per_run: Number):
    """Total compute bill: ``runs x cost_per_run`` (USD)."""
    n = require_count(runs, "runs")
    cost = positive_quantity(cost_per_run, "USD", "cost_per_run")
    return (n * cost).to("USD")


def search_time(runs: Number, run_duration: Number, parallel_runs: Number = 1):
    """Calendar time to finish ``runs`` when ``parallel_runs`` train at once (hours).

    ``ceil(runs / parallel_runs) x run_duration``: the last batch still takes a full run.
    """
    n = require_count(runs, "runs")
    duration = positive_quantity(run_duration, "hour", "run_duration")
    lanes = require_count(parallel_runs, "parallel_runs")
    return (math.ceil(n / lanes) * duration).to("hour")
