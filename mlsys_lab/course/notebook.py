"""What the first cell of every chapter notebook calls.

A chapter notebook runs in three places: a local Jupyter, Google Colab and the autograder.
Its first cell makes sure ``mlsys_lab`` and otter-grader are importable (installing the
pinned versions when they are not, as on Colab), then calls :func:`start`, which

* sets plotting defaults so that figures look the same everywhere,
* finds the notebook's public checks, which ship inside this package
  (``mlsys_lab/public_tests/<notebook>/``) so that a notebook opened on its own, as Colab
  does, still has them, and
* returns the otter ``grader`` whose ``grader.check("q1")`` runs a public check and words
  its result as a check of FORM only ("q1: form OK (one of the letters A, B, C, D); whether
  it is right is graded after you hand in"), never otter's "All test cases passed!", which
  students read as "correct" (issue 11, §6). A wrong form names what was expected.

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


def in_browser() -> bool:
    """True in the site's live mode: Python compiled to WebAssembly (Pyodide, JupyterLite)."""
    return sys.platform == "emscripten"


class LiveModeGrader:
    """``grader`` in the live mode: otter-grader does not run in the browser, so a check
    says where to run it instead of failing."""

    def __init__(self, notebook: str):
        self.notebook = notebook

    def check(self, question: str) -> None:
        print(
            f"{question}: answer checks do not run in the browser's live mode. Open "
            f"{self.notebook}.ipynb in Colab or your own Jupyter (the Colab button on the "
            "chapter page) to check the form of your answers and hand in."
        )

    def check_all(self) -> None:
        self.check("all questions")


def show_alt_text() -> None:
    """Display every Figure that has alt text (``mlsys_lab.viz.alt_text``) with that text in
    its output metadata (``{"image/png": {"alt": ...}}``), where the site build and
    JupyterLab put it in the image's ``alt`` attribute.

    Uses IPython's mimebundle formatter, which ``%matplotlib inline`` leaves alone.
    """
    try:
        from IPython import get_ipython
        from matplotlib.figure import Figure
    except ImportError:  # plain Python, or matplotlib not loaded in the browser
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.mimebundle_formatter.for_type(Figure, _figure_with_alt_text)


def _figure_with_alt_text(fig, include=None, exclude=None):
    from IPython.core.pylabtools import print_figure

    from ..viz import describe

    alt = describe(fig) or _chart_summary(fig)
    if not alt:
        return None  # the usual inline PNG
    png = print_figure(fig, "png", bbox_inches="tight", base64=True)
    return {"image/png": png, "text/plain": f"<Figure: {alt}>"}, {"image/png": {"alt": alt}}


def _chart_summary(fig) -> str | None:
    """Alt text read off a Figure that has none: each chart's title, axes and series.

    A fallback only: what the chart shows is better said with ``mlsys_lab.viz.alt_text``.
    """
    parts = []
    for ax in fig.get_axes():
        title = ax.get_title() or (fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else "")
        axes = " against ".join(label for label in (ax.get_ylabel(), ax.get_xlabel()) if label)
        legend = ax.get_legend()
        series = [t.get_text() for t in legend.get_texts()] if legend else []
        text = "Chart" + (f" titled '{title}'" if title else "")
        text += f" of {axes}" if axes else ""
        text += f"; series: {', '.join(series)}" if series else ""
        if title or axes or series:
            parts.append(text + ".")
    return " ".join(parts) or None


def start(notebook: str, code: str = ""):
    """Prepare a chapter notebook and return its otter grader.

    ``notebook`` is the notebook's name without extension, e.g. ``"01_ml_lifecycle"``.
    In the site's live mode (JupyterLite, where otter cannot install) it returns a
    :class:`LiveModeGrader` that says where the checks run.

    ``code``, the student's personal code from the course, chooses their own numbers for
    exercises that vary (:mod:`mlsys_lab.course.variants`); without one every exercise shows the
    master's numbers, and this says so.
    """
    show_alt_text()
    _choose_variant(notebook, code)
    if in_browser():
        _plot_defaults()
        return LiveModeGrader(notebook)
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
    # Colab runs a notebook it opened from the repository with no copy of the file beside the
    # kernel; otter reads the file it is given, so name it only where it exists
    path = f"{notebook}.ipynb"
    return _form_checking_notebook_class()(path if os.path.isfile(path) else None, tests_dir=tests_dir)


def _choose_variant(notebook: str, code: str) -> None:
    from . import variants

    code = (code or "").strip()
    if not code:
        variants.configure(None, notebook)
        print(
            "No personal code yet: exercises show the master's numbers. Set PERSONAL_CODE in this cell "
            "to the code your course gave you and run it again to get your own."
        )
        return
    try:
        variants.configure(code, notebook)
    except variants.BadCode as exc:
        variants.configure(None, notebook)
        print(
            f"PERSONAL_CODE {code!r} is not a valid code: {exc}. Until it is fixed, exercises show the master's numbers."
        )
        return
    shown = variants.student()
    print(f"Personal code {shown[:3]}-{shown[3:6]}-{shown[6:]}: the exercises below show your own numbers.")


# --------------------------------------------------------------------------------------------
# grader.check says what it checked: the form of an answer, never whether it is right

AFTER_HAND_IN = "whether it is right is graded after you hand in"


def form_check_message(question: str, forms: list[str], problems: list[str]) -> str:
    """The text ``grader.check(question)`` shows for a public (format-only) check.

    ``forms`` describes what a passing check verified ("one of the letters A, B, C, D");
    ``problems`` holds the messages of the checks that failed, which name the expected form
    and never the expected value.
    """
    if problems:
        lines = [f"{question}: form not OK yet (this check looks at the form only)."]
        lines += [f"  - {p}" for p in problems]
        lines.append("Fix the form and run the check again.")
        return "\n".join(lines)
    what = "; ".join(dict.fromkeys(forms)) or "the form the question asks for"
    return f"{question}: form OK ({what}); {AFTER_HAND_IN}."


def _problem_messages(test_file) -> list[str]:
    """The student-facing message of each failed test case (the AnswerError text)."""
    problems = []
    for result in test_file.test_case_results:
        if result.passed:
            continue
        text = (result.message or "").strip()
        marker = "AnswerError: "
        if marker in text:
            problems.append(text.rsplit(marker, 1)[1].strip())
        else:  # not one of our checks (a name not defined, say): show otter's last line
            problems.append(text.splitlines()[-1] if text else "the check could not run")
    return problems


def _only_public(test_file) -> bool:
    return all(not tc.hidden for tc in getattr(test_file, "test_cases", []))


def _with_form_wording(test_file, forms: list[str]):
    """Make ``test_file`` display the form-only wording (its data stay otter's own).

    The instance keeps its otter type as a base class, so otter's export, logs and
    ``check_all`` treat it as before; only ``repr`` and the Jupyter display change.
    """
    test_file._form_message = form_check_message(test_file.name, forms, _problem_messages(test_file))
    test_file.__class__ = _form_worded_class(type(test_file))
    return test_file


def _form_worded_class(base: type) -> type:
    """A subclass of otter's test-file class ``base`` that shows ``_form_message``.

    Registered in this module under a stable name so that otter can still pickle results.
    """
    name = f"FormChecked{base.__name__}"
    cls = globals().get(name)
    if cls is None:

        def _repr(self):
            return self._form_message

        def _summary(self, public_only: bool = False):  # what grader.check_all() prints
            return self._form_message

        def _repr_html(self):
            import html

            body = html.escape(self._form_message).replace("\n", "<br>")
            colour = "" if self.passed_all else " style='color: #b00;'"
            return f"<p{colour}>{body}</p>"

        cls = type(
            name, (base,), {"__repr__": _repr, "summary": _summary, "_repr_html_": _repr_html, "__module__": __name__}
        )
        globals()[name] = cls
    return cls


def __getattr__(name: str):
    """Rebuild the classes above on demand, so that otter can unpickle its log (which holds
    form-worded results) in a fresh process, e.g. when ``grader.export`` runs the tests."""
    if name == "CourseNotebook":
        return _form_checking_notebook_class()
    if name.startswith("FormChecked"):
        import otter.test_files as test_files

        base = getattr(test_files, name[len("FormChecked") :], None)
        if isinstance(base, type):
            return _form_worded_class(base)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_NOTEBOOK_CLASS = None


def _form_checking_notebook_class():
    """otter's ``Notebook``, with ``check`` worded as a format check (built on first use)."""
    global _NOTEBOOK_CLASS
    if _NOTEBOOK_CLASS is not None:
        return _NOTEBOOK_CLASS
    import inspect

    import otter

    from . import checks

    class CourseNotebook(otter.Notebook):
        """``grader.check(q)`` says "form OK ...; whether it is right is graded after you hand
        in" instead of otter's "All test cases passed!", which students read as "correct"."""

        def check(self, question, global_env=None):
            if global_env is None:
                global_env = inspect.currentframe().f_back.f_globals
            checks.reset_forms_checked()
            result = super().check(question, global_env)
            if result is None or not _only_public(result):
                return result  # the autograder's full tests: keep otter's own wording
            forms = [form for _, form in checks.forms_checked()]
            return _with_form_wording(result, forms)

    CourseNotebook.__module__ = __name__
    globals()["CourseNotebook"] = _NOTEBOOK_CLASS = CourseNotebook
    return CourseNotebook


def _plot_defaults() -> None:
    """Inline figures in any kernel (the viz functions return Figures), with one common style."""
    try:
        import matplotlib as mpl
    except ImportError:  # live mode with no network: Pyodide's matplotlib comes from its CDN
        return

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
    """Package the notebook for hand-in, or say how to do it where otter cannot (Colab, the
    site's live mode)."""
    if in_browser():
        print(
            "The live mode cannot package a hand-in: download this notebook (File > Download), "
            "then open it in Colab or your own Jupyter to check your answers and hand it in."
        )
        return
    if in_colab():
        print(
            "On Colab, hand in the notebook itself: File > Download > Download .ipynb, then "
            "upload that file where your course collects work."
        )
        return
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        grader.export(pdf=False, run_tests=True)
    print(worded_as_form_checks(printed.getvalue()), end="")


HAND_IN_WORDING = (
    (
        "Running your submission against local test cases...",
        "Checking the form of every answer in the saved notebook...",
    ),
    (
        "Your submission received the following results when run against available test cases:",
        f"Form checks only (a letter, True/False, a number in the stated unit); {AFTER_HAND_IN}:",
    ),
    ("All test cases passed!", "every answer is in the expected form."),
)
"""otter's words after an export, and the course's: the public checks test form, not correctness."""


def worded_as_form_checks(text: str) -> str:
    """otter's export report with its words replaced (see ``HAND_IN_WORDING``)."""
    for theirs, ours in HAND_IN_WORDING:
        text = text.replace(theirs, ours)
    return text
