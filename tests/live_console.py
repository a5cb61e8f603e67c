"""Driving a calculator in the site's live console (JupyterLite) as a reader does (issue 22).

Used by ``test_live_site.py`` and ``benchmarks/live_calculators.py``. A calculator is an
``ipywidgets.interactive``: its controls, then its output. Every control is moved with the
keyboard or the mouse, the printed numbers must change, and the control is put back (typed into
its readout, or chosen again) until the numbers are the first ones again.
"""

from __future__ import annotations

import contextlib
import io
import time
from dataclasses import dataclass

NUMBERS = (
    "() => Array.from(document.querySelectorAll('.widget-output .jp-OutputArea-output'))"
    ".map(e => e.innerText).join('\\n')"
)

# The console has run every cell it was given (install, calculator, plot libraries and redraw)
# and its kernel is idle: a control moved from now on is not undone by the redraw.
SETTLED = """() => {
    const shell = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    if (!shell || !shell.console) return false;
    const session = shell.console.sessionContext.session;
    const wanted = new URLSearchParams(window.location.search).getAll('code').length;
    let ran = 0;
    for (const cell of shell.console.cells) if (cell.model.executionCount) ran++;
    return ran >= wanted && !!session && !!session.kernel && session.kernel.status === 'idle';
}"""

# The numbers differ from ``old`` (or equal ``wanted``) once the kernel is idle and they have
# stood still for 300 ms: an output is redrawn line by line, and half a redraw is no answer.
CHANGED = """([old, wanted]) => {
    const now = Array.from(document.querySelectorAll('.widget-output .jp-OutputArea-output'))
                     .map(e => e.innerText).join('\\n');
    const t = performance.now();
    if (window.mlsysSeen !== now) { window.mlsysSeen = now; window.mlsysSince = t; return false; }
    const session = window.jupyterapp.shell.currentWidget.console.sessionContext.session;
    if (t - window.mlsysSince < 300 || session.kernel.status !== 'idle') return false;
    return now.trim() !== '' && (wanted === null ? now !== old : now === wanted);
}"""

# every child of the calculator's box but its output is a control
CONTROLS = ".widget-interact > :not(.widget-output)"

# a loaded 2-core machine answers in seconds, not the 0.2 s of an idle one; the first, short
# wait is what a key that leaves the numbers alone (a threshold not crossed) costs
WAITS = (6_000, 20_000, 45_000)


@dataclass(frozen=True)
class Control:
    """One control as Python made it: what it says, what it holds, what kind it is."""

    label: str
    value: object
    shown: str  # the value as the control shows it (a dropdown's label)
    kind: str


def python_controls(module: str, function: str) -> list[Control]:
    """The calculator's controls, built by the course's own code (the browser must show these)."""
    import mlsys_lab as ml

    with contextlib.redirect_stdout(io.StringIO()):
        widget = getattr(getattr(ml.viz, module), function)()
    controls = []
    for c in widget.kwargs_widgets:
        shown = getattr(c, "label", None) or str(c.value)
        controls.append(Control(c.description, c.value, str(shown), type(c).__name__))
    return controls


def numbers(frame) -> str:
    return frame.evaluate(NUMBERS)


def wait_settled(frame, timeout_ms: int = 180_000) -> None:
    frame.wait_for_function(SETTLED, timeout=timeout_ms, polling=250)


def _wait_numbers(frame, old: str, wanted: str | None, timeout_ms: int) -> bool:
    try:
        frame.wait_for_function(CHANGED, arg=[old, wanted], timeout=timeout_ms, polling=50)
    except Exception:  # noqa: BLE001 -- a timeout: the numbers did not (yet) move
        return False
    return True


def _readout(box) -> str:
    return box.locator(".widget-readout").inner_text().strip()


def _slider_moves(box):
    """The moves of a slider: its ends, by keyboard (a key that hits the end it is already at
    leaves the readout alone and is skipped)."""
    handle = box.locator(".noUi-handle").first
    for key in ("End", "Home"):

        def move(key=key):
            before = _readout(box)
            handle.press(key)
            deadline = time.perf_counter() + 2
            while _readout(box) == before and time.perf_counter() < deadline:
                time.sleep(0.05)
            return f"{key} ({before} -> {_readout(box)})" if _readout(box) != before else None

        yield move


def _dropdown_moves(box, control: Control):
    select = box.locator("select")
    labels = [text.strip() for text in select.locator("option").all_inner_texts()]
    for label in labels:
        if label != control.shown:

            def move(label=label):
                select.select_option(label=label)
                return f"chose {label}"

            yield move


def _click_moves(box):
    target = box.locator("input[type=checkbox], button").first

    def move():
        target.click()
        return "clicked"

    yield move


def _restore(frame, box, control: Control) -> None:
    """Put the control back to its first value, as a reader would: type it into the slider's
    readout, or choose it again; click a checkbox or toggle again."""
    if "Slider" in control.kind:
        readout = box.locator(".widget-readout")
        readout.fill(repr(control.value))
        readout.press("Enter")
    elif control.kind == "Dropdown":
        box.locator("select").select_option(label=control.shown)
    else:
        box.locator("input[type=checkbox], button").first.click()


def _moves(box, control: Control):
    if "Slider" in control.kind:
        return _slider_moves(box)
    if control.kind == "Dropdown":
        return _dropdown_moves(box, control)
    if control.kind in ("Checkbox", "ToggleButton"):
        return _click_moves(box)
    raise AssertionError(f"no way to drive a {control.kind} ({control.label}): add one to tests/live_console.py")


def drive_every_control(frame, module: str, function: str) -> list[str]:
    """Move every control of the calculator in ``frame``; each must change the printed numbers,
    and putting it back must bring back the first ones. Returns one line per control: what moved
    it and how long the numbers took."""
    expected = python_controls(module, function)
    boxes = frame.locator(CONTROLS)
    shown = [b.locator(".widget-label").first.inner_text().strip() for b in boxes.all()]
    assert shown == [c.label for c in expected], f"{module}: the console shows {shown}, Python made {expected}"
    first = numbers(frame)
    assert first.strip(), f"{module}: no numbers"
    report = []
    for box, control in zip(boxes.all(), expected):
        named = box.locator(".noUi-handle, select, input").first
        if named.count():
            assert named.get_attribute("aria-label"), f"{module}: {control.label} has no accessible name"
        tried, took = [], None
        for wait in WAITS:
            for move in _moves(box, control):
                start = time.perf_counter()
                what = move()
                if what is None:
                    continue
                tried.append(what)
                if _wait_numbers(frame, first, None, wait):
                    took = (what, time.perf_counter() - start)
                    break
            if took:
                break
        assert took, f"{module}: moving {control.label!r} changed no number ({'; '.join(tried)})"
        _restore(frame, box, control)
        back = _wait_numbers(frame, first, first, WAITS[-1])
        assert back, f"{module}: {control.label!r} put back to {control.shown}, the numbers did not come back"
        report.append(f"{control.label}: {took[0]}, {took[1]:.2f} s")
    return report


def set_site_theme(page, frame, mode: str) -> None:
    """The reader toggles the site's light/dark mode; the console follows (book/_assets/live-mode.js)."""
    page.evaluate(
        "(mode) => { document.documentElement.dataset.mode = mode; document.documentElement.dataset.theme = mode; }",
        mode,
    )
    wait_theme(frame, mode)


def wait_theme(frame, mode: str) -> None:
    """The console shows JupyterLab's light or dark theme (its CSS loads in a moment, or in many
    on a loaded machine)."""
    light = "true" if mode == "light" else "false"
    frame.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'", timeout=60_000)
