"""Plots and widgets: thin layers over the calculators, one module per concept.

Each module draws or wires up what a calculator computes and never repeats its math. Widgets
need a live kernel to recompute (Colab, Jupyter, the site's live mode); on the static site they
show the state they had when the page was built.

Submodules load on first use, so ``import mlsys_lab as ml; ml.viz.iteration.plot_iteration_tax()``
works without importing ``mlsys_lab.viz.iteration`` first.

Every function that returns a matplotlib ``Figure`` gives it alt text with :func:`alt_text`,
written for a reader who cannot see the figure: what is drawn and what it shows.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

__all__ = ["alt_text", "describe"]

ALT_ATTRIBUTE = "_mlsys_alt_text"
"""Attribute of a Figure that holds its alt text (read by the notebook display hook)."""


def alt_text(fig, text: str):
    """Attach ``text`` to ``fig`` as its alt text and return ``fig`` (so a plot can end with
    ``return alt_text(fig, "...")``)."""
    text = " ".join(str(text).split())
    if not text:
        raise ValueError("alt text must say what the figure shows")
    setattr(fig, ALT_ATTRIBUTE, text)
    return fig


def describe(fig) -> str | None:
    """The alt text attached to ``fig`` with :func:`alt_text`, or None."""
    return getattr(fig, ALT_ATTRIBUTE, None)


def _submodules() -> set[str]:
    return {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}


def __getattr__(name: str) -> Any:
    if name in _submodules():
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _submodules())
