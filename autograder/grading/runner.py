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

A job may also name *function exercises* (``"functions"``: the function's name, the library
functions it must not lean on, the inputs to call it on; see :mod:`autograder.grading.functions`).
Before the first cell runs, each of those library functions is replaced, in its module and
wherever a loaded ``mlsys_lab`` module holds it, by a guard that works as usual in the notebook's
cells and raises ``NotImplementedError`` ("write it yourself") while the student's function is
being graded. After the cells and the answers, each exercise's function is called on its inputs
in a forked child (one per exercise, a time limit per call and for the whole exercise, so an
endless loop costs that exercise only), and its outcomes join the answers file as one record::

    {"kind": "calls", "outcomes": [{"returned": <answer record>} | {"raised": "ValueError"}
                                   | {"stopped": "time"}, ...]}     (or {"kind": "calls", "why": ...})

The guard is a speed bump, not a wall: the student's code runs in this process, so it can read
the library's source and paste it, find the original function (the guard's closure, ``gc``), or
find the inputs in this process's memory before they are used. What it does guarantee is that a
function that simply calls ``ml.drift.psi`` (or a helper that does) earns nothing, and that a
function written for the prompt's example alone meets inputs it has not seen.

Everything here runs in the same process as the student's code, so none of these messages is
trusted: the host bounds and checks them, and a score depends only on the answers file, which
:mod:`autograder.grading.answers` re-validates outside. Standard output and error go nowhere.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import time

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
    """The student's own numbers: the code the grader derived from the roster id (the setup
    cell, where a student types a code, is not run while grading; the secret never comes here)."""
    if not variant:
        return
    try:
        from mlsys_lab.course import variants

        variants.configure(variant.get("code"), variant.get("assignment"))
    except Exception:  # noqa: BLE001 -- the scorer recomputes the numbers anyway
        pass


# --------------------------------------------------------------------------------------------
# function exercises

# bound at import, before any student code can rebind them
_pipe, _fork, _close, _read, _exit, _kill, _waitpid = os.pipe, os.fork, os.close, os.read, os._exit, os.kill, os.waitpid
_signal, _setitimer, _select, _monotonic = signal.signal, signal.setitimer, select.select, time.monotonic

_REFUSING: set = set()
"""Guarded library functions that refuse to run right now (only while a function is graded)."""
_loads = json.loads
CALL_SECONDS_CAP = 5.0
"""Longest time one call of a student's function may take, whatever the job asks."""
EXERCISE_SLACK = 2.0
"""Seconds an exercise's child may use beyond its calls' limits (forking, imports)."""
OUTCOMES_CAP = 1 << 18
"""Bytes read back from one exercise's child."""


class _CallTimeout(BaseException):
    """Raised in the student's function when its call runs out of time."""


def _guard(target: str, real):
    def guard(*args, **kwargs):
        if target in _REFUSING:
            raise NotImplementedError(
                f"{target.replace(':', '.')} is not available while your function is graded: write it yourself"
            )
        return real(*args, **kwargs)

    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(guard, attr, getattr(real, attr))
        except (AttributeError, TypeError):
            pass
    return guard


def _install_guards(functions: list) -> None:
    """Replace each exercise's guarded library functions, in their module and in every loaded
    ``mlsys_lab`` module that imported them (the flat alias ``ml.drift`` is the same module)."""
    import importlib

    swaps = {}
    for exercise in functions:
        for target in exercise.get("guards") or []:
            module_name, _, attr = str(target).partition(":")
            module = importlib.import_module(module_name)  # a bad registry entry fails the run loudly
            real = getattr(module, attr)
            swaps[id(real)] = _guard(str(target), real)
    if not swaps:
        return
    for name, module in list(sys.modules.items()):
        if name != "mlsys_lab" and not name.startswith("mlsys_lab."):
            continue
        for key, value in list(vars(module).items()):
            guard = swaps.get(id(value))
            if guard is not None:
                setattr(module, key, guard)


def _with_calls(text: str, namespace: dict, functions: list, encode_value) -> str:
    """The answers file with one ``calls`` record per function exercise."""
    if not functions:
        return text
    data = _loads(text)
    for exercise in functions:
        data["answers"][str(exercise.get("name"))] = _calls_record(namespace, exercise, encode_value)
    return _dumps(data, allow_nan=False, ensure_ascii=True)


def _calls_record(namespace: dict, exercise: dict, encode_value) -> dict:
    name = str(exercise.get("name"))
    function = namespace.get(name)
    if function is None or function is Ellipsis:
        return {"kind": "calls", "why": f"{name} was never defined"}
    if type(function).__name__ != "function":
        return {"kind": "calls", "why": f"{name} is not a function defined with def"}
    return {"kind": "calls", "outcomes": _call_in_child(function, exercise, encode_value)}


def _call_in_child(function, exercise: dict, encode_value) -> list:
    """Call ``function`` on each of the exercise's inputs in a forked child; one outcome per
    input, ``{"stopped": "time"}`` for those it never reached."""
    cases = [_dumps(args) for args in exercise.get("cases") or []]
    seconds = min(float(exercise.get("seconds") or 1.0), CALL_SECONDS_CAP)
    read_end, write_end = _pipe()
    pid = _fork()
    if pid == 0:
        try:
            _close(read_end)
            _REFUSING.update(str(t) for t in exercise.get("guards") or [])
            _signal(signal.SIGALRM, _out_of_time)
            for args in cases:
                line = _dumps(_call_one(function, args, seconds, encode_value)) + "\n"
                _write(write_end, line.encode("utf-8"))
        finally:
            _exit(0)
    _close(write_end)
    data = _read_all(read_end, _monotonic() + seconds * len(cases) + EXERCISE_SLACK)
    _close(read_end)
    try:
        _kill(pid, signal.SIGKILL)
    except OSError:
        pass
    _waitpid(pid, 0)
    outcomes = []
    for line in data.decode("utf-8", "replace").splitlines()[: len(cases)]:
        try:
            outcomes.append(_loads(line))
        except ValueError:
            outcomes.append({"stopped": "unreadable"})
    return outcomes + [{"stopped": "time"}] * (len(cases) - len(outcomes))


def _read_all(fd: int, deadline: float) -> bytes:
    chunks, size = [], 0
    while size < OUTCOMES_CAP:
        left = deadline - _monotonic()
        if left <= 0 or not _select([fd], [], [], left)[0]:
            break
        chunk = _read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _out_of_time(signum, frame):
    raise _CallTimeout()


def _call_one(function, args_json: str, seconds: float, encode_value) -> dict:
    args = _loads(args_json)  # a fresh copy: a function that changes its input changes nothing else
    try:
        _setitimer(signal.ITIMER_REAL, seconds)
        try:
            value = function(*args)
        finally:
            _setitimer(signal.ITIMER_REAL, 0)
    except _CallTimeout:
        return {"stopped": "time"}
    except BaseException as exc:  # noqa: BLE001 -- SystemExit too: the outcome is its name
        return {"raised": type(exc).__name__[:60]}
    return {"returned": encode_value(value)}


def main() -> int:
    job = json.loads(sys.stdin.read())
    sys.path.extend(p for p in job.get("path", []) if p not in sys.path)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    from answers import encode, encode_one  # the answers format lives beside this file

    _warm_matplotlib_cache()

    functions = [f for f in job.get("functions") or [] if type(f) is dict]
    _install_guards(functions)  # before any student code: what the student captures is the guard
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
    quantity_class = _quantity_class()
    text = encode(shell.user_ns, list(job["names"]), quantity_class)
    text = _with_calls(text, shell.user_ns, functions, lambda value: encode_one(value, quantity_class))
    send({"t": "answers", "text": text})
    send({"t": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
