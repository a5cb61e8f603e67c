"""The book's reference pages are generated from mlsys_lab and must match it."""

import pytest

from autograder.authoring import reference


@pytest.mark.parametrize("page", sorted(reference.PAGES))
def test_reference_page_is_current(page):
    committed = reference.REFERENCE / page
    assert committed.exists(), f"book/reference/{page} is missing: run `python -m autograder reference`"
    assert committed.read_text(encoding="utf-8") == reference.PAGES[page](), (
        f"book/reference/{page} is out of date: run `python -m autograder reference`"
    )


def test_api_page_lists_every_calculator_module():
    text = reference.api_page()
    modules = reference.calculator_modules()
    assert len(modules) >= 10
    for name in modules:
        assert f"`ml.{name}` in a notebook" in text


def test_ledger_page_shows_printed_and_computed_side_by_side():
    from mlsys_lab.course import ledger

    figures = ledger.figures()
    text = reference.ledger_page()
    for figure in figures:
        assert f"`{figure.id}`" in text
