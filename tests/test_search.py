"""Tests for mlsys_lab.science.search (ML Workflow, §Model Development: multiplicative search cost)."""

import pytest

from mlsys_lab.errors import InputError
from mlsys_lab.facts import constants as C
from mlsys_lab.science import search
from mlsys_lab.units import Q_


def test_chapter_grid_is_4_to_the_5():
    runs = search.grid_runs(C.GRID_VALUES_PER_HYPERPARAMETER, C.GRID_HYPERPARAMETERS)
    assert runs == 1024


def test_grid_from_a_list_of_counts_multiplies():
    assert search.grid_runs([6, 3, 3, 2]) == 108
    assert search.grid_runs((4, 4, 4, 4, 4)) == search.grid_runs(4, 5)


def test_campaign_runs_multiply():
    assert search.campaign_runs(3, 8, 4) == 96
    assert search.campaign_runs(Q_(5, "dimensionless")) == 5


def test_search_cost_and_time():
    assert search.search_cost(1024, 500).to("USD").magnitude == pytest.approx(512_000)
    assert search.search_cost(10, Q_(2000, "USD")).magnitude == 20_000
    assert search.search_time(10, 3, parallel_runs=4).to("hour").magnitude == pytest.approx(9)
    assert search.search_time(8, Q_(30, "minute")).to("hour").magnitude == pytest.approx(4)


@pytest.mark.parametrize(
    "call",
    [
        lambda: search.grid_runs(4),
        lambda: search.grid_runs([]),
        lambda: search.grid_runs([4, 0]),
        lambda: search.grid_runs([4, 2], 3),
        lambda: search.grid_runs(2.5, 3),
        lambda: search.campaign_runs(),
        lambda: search.campaign_runs(3, -1),
        lambda: search.search_cost(10, -5),
        lambda: search.search_cost(10, Q_(5, "hour")),
        lambda: search.search_time(10, 2, parallel_runs=0),
    ],
)
def test_nonsense_is_rejected(call):
    with pytest.raises(InputError):
        call()
