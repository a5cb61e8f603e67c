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

__all__ = ["alt_text", "describe", "figure_or_note", "PlotUnavailable", "show_figure"]

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


class PlotUnavailable:
    """What a plot function returns where its plotting library has not loaded (the site's live
    mode without Pyodide's CDN): one sentence saying so, shown where the figure would be."""

    def __init__(self, library: str):
        self.library = library

    def __repr__(self) -> str:
        from ..course.live_mode import plot_note

        return plot_note(self.library)


def figure_or_note(plot):
    """Decorate a plot function: where numpy or matplotlib cannot be imported it returns a
    :class:`PlotUnavailable` note instead of raising, so a live page or notebook without its plot
    libraries shows the numbers and one sentence, never a traceback."""
    import functools

    @functools.wraps(plot)
    def draw(*args, **kwargs):
        try:
            return plot(*args, **kwargs)
        except ImportError as exc:
            from ..course.live_mode import missing_library

            library = missing_library(exc)
            if library is None:
                raise
            return PlotUnavailable(library)

    return draw


def show_figure(figure) -> None:
    """Display a plot function's result in a widget's output: the figure as an image that
    carries its alt text, or the one-sentence note of :class:`PlotUnavailable` as plain text.

    A widget's output area (and the site's snapshot of it) ignores the ``alt`` that the
    notebook's display hook puts in an image's metadata, so the figure goes out as an HTML
    ``<img>`` with the alt text written into it.
    """
    if isinstance(figure, PlotUnavailable):
        print(repr(figure))
        return
    import html

    from IPython.core.pylabtools import print_figure
    from IPython.display import HTML, display

    alt = describe(figure)
    if not alt:
        display(figure)
        return
    png = print_figure(figure, "png", bbox_inches="tight", base64=True)
    display(HTML(f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}">'))


def _submodules() -> set[str]:
    return {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}


def __getattr__(name: str) -> Any:
    if name in _submodules():
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _submodules())
