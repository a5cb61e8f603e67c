"""The site's live mode: numbers first, plots when their libraries arrive, honest when they cannot.

In the site's live mode (JupyterLite with the Pyodide kernel) the course wheel and its pure-Python
dependencies come from the site itself, but Pyodide's builds of numpy, scipy and matplotlib come
from Pyodide's CDN, which a train, a locked-down lab machine or a proxy may refuse. So:

* every calculator behind a widget computes its numbers in pure Python, and answers without them;
* a plot whose libraries have not loaded is replaced by one sentence that says why
  (:func:`plot_note`, used by :func:`mlsys_lab.viz.figure_or_note`), never a traceback;
* :func:`load_plot_libraries` tries to load them and remembers what happened, and
  :func:`prepare_notebook` does that for a live chapter notebook: it reports what loaded, makes
  ``%matplotlib inline`` harmless where matplotlib is missing, and turns any later "that library
  is missing" error into the same one sentence.

Everywhere else (Colab, a laptop, the grader) the libraries are installed and nothing here
changes anything.
"""

from __future__ import annotations

import importlib
import sys

__all__ = [
    "PLOT_LIBRARIES",
    "in_browser",
    "missing_library",
    "plot_note",
    "load_plot_libraries",
    "prepare_notebook",
]

PLOT_LIBRARIES = ("numpy", "scipy", "matplotlib")
"""What Pyodide fetches from its CDN; everything else the live mode needs is on the site."""

CDN = "cdn.jsdelivr.net"

_status: dict[str, str] = {}
"""What :func:`load_plot_libraries` found: library -> "loaded" or why not."""


def in_browser() -> bool:
    """True in the live mode: Python compiled to WebAssembly (Pyodide)."""
    return sys.platform == "emscripten"


def missing_library(exc: BaseException) -> str | None:
    """The plot library whose absence raised ``exc``, or None if it is about something else."""
    if not isinstance(exc, ImportError):
        return None
    name = (getattr(exc, "name", None) or "").split(".")[0]
    return name if name in PLOT_LIBRARIES else None


def plot_note(library: str = "matplotlib") -> str:
    """One sentence for a plot area whose library has not loaded."""
    why = _status.get(library)
    if why is None or why == "loaded":
        why = "it is still loading" if in_browser() else "it is not installed in this Python"
    return (
        f"(No plot here: it needs {library}, and {why}. The numbers are live; the figure on the "
        "page is the snapshot from the site build, and the chapter in Colab draws it live.)"
    )


def _importable(library: str) -> bool:
    try:
        importlib.import_module(library)
    except ImportError:
        return False
    return True


async def load_plot_libraries(libraries: tuple[str, ...] = PLOT_LIBRARIES) -> dict[str, str]:
    """Load numpy, scipy and matplotlib where they can be loaded; return (and remember) what
    happened to each: ``"loaded"`` or the reason it did not.

    In Pyodide they come from its CDN through ``micropip``; a refusal is caught and described
    ("no network, or a proxy blocks the CDN"), never raised. Elsewhere they are simply imported.
    """
    for library in libraries:
        if _importable(library):
            _status[library] = "loaded"
            continue
        if not in_browser():
            _status[library] = "it is not installed in this Python"
            continue
        try:
            import micropip  # Pyodide's installer: only in the browser

            # Pyodide reports a refused download without raising: the import tells
            await micropip.install(library)
            importlib.invalidate_caches()
            _status[library] = "loaded" if _importable(library) else _not_fetched()
        except Exception as exc:  # noqa: BLE001 -- any refusal becomes a sentence, not a traceback
            _status[library] = _not_fetched(type(exc).__name__)
    return {library: _status[library] for library in libraries}


def _not_fetched(error: str = "") -> str:
    detail = f" ({error})" if error else ""
    return f"it could not be fetched from Pyodide's CDN ({CDN}): no network, or a proxy blocks it{detail}"


def _quiet_matplotlib_magic(line: str) -> None:
    """``%matplotlib`` where matplotlib is missing: nothing to configure, nothing to fail."""


def _missing_library_handler(shell, etype, value, tb, tb_offset=None):
    """A cell that needs an unloaded library prints one sentence instead of a traceback."""
    library = missing_library(value)
    if library is None:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    print(
        f"This cell needs {library}, which is not loaded in the live mode ({_status.get(library, 'not loaded')}). "
        "The chapter's other cells still run; open it in Colab to run this one."
    )
    return None


def install_fallbacks(shell) -> None:
    """Make the rest of a live notebook run where a plot library is missing."""
    if shell is None:
        return
    if _status.get("matplotlib") != "loaded":
        shell.register_magic_function(_quiet_matplotlib_magic, "line", "matplotlib")
    shell.set_custom_exc((ImportError,), _missing_library_handler)


async def prepare_notebook() -> dict[str, str]:
    """The live notebook's start: load what can be loaded, say what did and did not (and why),
    and install the fallbacks so that every later cell runs, with numbers and without plots."""
    status = await load_plot_libraries()
    for library, state in status.items():
        print(f"{library}: {'loaded' if state == 'loaded' else 'not loaded, because ' + state}")
    if any(state != "loaded" for state in status.values()):
        print("Numbers and calculators work without them; plots say where they are missing.")
    try:
        from IPython import get_ipython
    except ImportError:
        return status
    install_fallbacks(get_ipython())
    return status
