"""What the first cell of every chapter notebook calls.

A chapter notebook runs in three places: a local Jupyter, Google Colab and the autograder.
Its first cell makes sure ``mlsys_lab`` and otter-grader are importable (installing the
pinned versions when they are not, as on Colab), then calls :func:`start`, which

* sets plotting defaults so that figures look the same everywhere,
* finds the notebook's public checks, which ship inside this package
  (``mlsys_lab/public_tests/<notebook>/``) so that a notebook opened on its own, as Colab
  does, still has them, and
* returns the otter ``grader`` whose ``grader.check("q1")`` runs a public check.

Inside the autograder otter swaps the public checks for the full set; nothing here changes.
"""

from __future__ import annotations

import os
import sys
from importlib import resources

OTTER_VERSION = "7.0.0"
"""The otter-grader release that authors, students and the autograder must share."""


def public_tests_dir(notebook: str) -> str:
    """Directory holding the public checks of ``notebook`` (e.g. ``"01_ml_lifecycle"``)."""
    path = resources.files("mlsys_lab") / "public_tests" / notebook
    if not path.is_dir():
        raise FileNotFoundError(
            f"no public checks for notebook {notebook!r}: is mlsys_lab up to date? "
            "Run the notebook's first cell again, or reinstall the course package."
        )
    return str(path)


def in_colab() -> bool:
    """True when running inside Google Colab."""
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def start(notebook: str):
    """Prepare a chapter notebook and return its otter grader.

    ``notebook`` is the notebook's name without extension, e.g. ``"01_ml_lifecycle"``.
    """
    import otter

    if otter.__version__ != OTTER_VERSION:
        print(
            f"Warning: this course is graded with otter-grader {OTTER_VERSION}, but "
            f"{otter.__version__} is installed; your checks may behave differently. "
            f'Run: pip install "otter-grader=={OTTER_VERSION}"'
        )
    _plot_defaults()
    try:
        tests_dir = public_tests_dir(notebook)
    except FileNotFoundError:
        # The autograder ships its own copy of mlsys_lab without the public checks and
        # points otter at its full set of tests; anywhere else this is a real problem.
        if not getattr(otter.Notebook, "_grading_mode", False):
            raise
        tests_dir = "./tests"
    return otter.Notebook(f"{notebook}.ipynb", tests_dir=tests_dir)


def _plot_defaults() -> None:
    """Inline figures in any kernel (the viz functions return Figures), with one common style."""
    import matplotlib as mpl

    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None and getattr(shell, "kernel", None) is not None:
            shell.run_line_magic("matplotlib", "inline")
    except ImportError:  # plain Python: nothing to configure
        pass

    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def hand_in(grader) -> None:
    """Package the notebook for hand-in, or say how to do it where otter cannot (Colab)."""
    if in_colab():
        print(
            "On Colab, hand in the notebook itself: File > Download > Download .ipynb, then "
            "upload that file where your course collects work."
        )
        return
    grader.export(pdf=False, run_tests=True)
