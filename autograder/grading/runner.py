"""Stage 1, inside the sandbox: run a submission's code cells and write its answers file.

This file is started by :mod:`autograder.grading.sandbox` as ``python -E -s runner.py`` inside
bubblewrap (or as an unprivileged user), with only the course environment visible, read-only.
It reads one job (JSON) from stdin::

    {"cells": [{"number": 7, "source": "q1_answer = 'C'"}, ...],
     "names": ["q1_answer", ...]}

runs the cells in order in an IPython shell (no Jupyter kernel: no ports, no start-up cost),
and reports on file descriptor 3, one JSON object per line::

    {"t": "cell", "n": 7}                      cell 7 starts
    {"t": "error", "n": 7, "ename": "NameError"}
    {"t": "answers", "text": "<answers file>"}
    {"t": "done"}

Everything here runs in the same process as the student's code, so none of these messages is
trusted: the host bounds and checks them, and a score depends only on the answers file, which
:mod:`autograder.grading.answers` re-validates outside. Standard output and error go nowhere.
"""

from __future__ import annotations

import json
import os
import sys

_write = os.write
_dumps = json.dumps
MESSAGES_FD = 3


def send(message: dict) -> None:
    try:
        _write(MESSAGES_FD, (_dumps(message) + "\n").encode("utf-8"))
    except (OSError, TypeError, ValueError):
        pass


class _NoGrader:
    """Stands in for otter's ``grader`` while grading: public checks are for students."""

    def check(self, *args, **kwargs):
        return None

    def check_all(self, *args, **kwargs):
        return None

    def export(self, *args, **kwargs):
        return None

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def _shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    shell = InteractiveShell.instance(config=config)
    # figures and rich outputs are never looked at: keep only the text form (fast, small)
    for mime, formatter in shell.display_formatter.formatters.items():
        if mime != "text/plain":
            formatter.enabled = False
    shell.register_magic_function(lambda line: None, "line", "matplotlib")
    shell.register_magic_function(lambda line: None, "line", "pip")
    shell.user_ns["grader"] = _NoGrader()
    return shell


def _quantity_class():
    units = sys.modules.get("mlsys_lab.units")
    try:
        return type(units.ureg.Quantity(1, "")) if units is not None else None
    except Exception:
        return None


def _warm_matplotlib_cache() -> None:
    """Copy the font list the grader built once, so matplotlib does not rebuild it (1 s)."""
    source, target = os.environ.get("MLSYS_MPL_CACHE"), os.environ.get("MPLCONFIGDIR")
    if not source or not target:
        return
    import shutil

    try:
        shutil.copytree(source, target, dirs_exist_ok=True)
    except OSError:
        pass


def _choose_variant(variant) -> None:
    """The student's own numbers, from the roster (the setup cell, where a student types an id,
    is not run while grading)."""
    if not variant:
        return
    try:
        from mlsys_lab import variants

        variants.configure(variant.get("salt"), variant.get("assignment"), variant.get("student"))
    except Exception:  # noqa: BLE001 -- the scorer recomputes the numbers anyway
        pass


def main() -> int:
    job = json.loads(sys.stdin.read())
    sys.path.extend(p for p in job.get("path", []) if p not in sys.path)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    from answers import encode  # the answers format lives beside this file

    _warm_matplotlib_cache()

    shell = _shell()
    _choose_variant(job.get("variant"))
    send({"t": "start"})
    for cell in job["cells"]:
        number = int(cell["number"])
        send({"t": "cell", "n": number})
        result = shell.run_cell(cell["source"], store_history=False, silent=False)
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            send({"t": "error", "n": number, "ename": type(error).__name__[:60]})
    send({"t": "cell", "n": 0})
    text = encode(shell.user_ns, list(job["names"]), _quantity_class())
    send({"t": "answers", "text": text})
    send({"t": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
