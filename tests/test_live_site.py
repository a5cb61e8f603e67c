"""The site's live mode: JupyterLite + Pyodide in a real browser, with no network.

Reads the site in ``_build/html`` (``make book``). Checks the build itself (the kernel points at
the Pyodide the site serves, the course wheel is at its fixed URL, no stale JupyterLite state),
then drives Debian's Chromium headless: every snapshot widget refuses input, and the clinic
bandwidth calculator of chapter 02, run live, installs the course wheel from the site and
recomputes when its slider moves.
"""

from __future__ import annotations

import json
import sys
import time

import live_console
import pytest
from helpers import ROOT
from test_live_mode import CALCULATORS, PLOTTING
from test_site import AXE, BLOCKING_IMPACTS, CHAPTERS, SITE, PageVisit, browser, require_site, site_url  # noqa: F401

from autograder.authoring.assign import COURSE_WHEEL_DIR, wheel_name

LITE = SITE / "lite"
PYODIDE_VERSION = "314.0.6"
LIVE_CHAPTER = "02_dr_problem_to_model"
LIVE_CALL = "clinic_bandwidth_widget()"  # however the chapter imports it

pytestmark = pytest.mark.xdist_group("site")


# ---------------------------------------------------------------------------------------------
# the build


def test_kernel_loads_the_pyodide_the_site_serves():
    """The setting that a stale ``.jupyterlite.doit.db`` used to drop, silently."""
    require_site()
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from live_book import PYODIDE_URL, pyodide_settings

    settings = pyodide_settings(LITE)
    assert settings.get("pyodideUrl") == PYODIDE_URL == "./static/pyodide/pyodide.mjs"
    pyodide = LITE / "static" / "pyodide"
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        assert (pyodide / name).is_file(), name
    assert json.loads((pyodide / "package.json").read_text())["version"] == PYODIDE_VERSION
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())["packages"]
    # what the kernel needs to start is served by the site ...
    for name in ("micropip", "packaging", "ipython", "jedi", "traitlets"):
        assert not lock[name]["file_name"].startswith("http"), name
        assert (pyodide / lock[name]["file_name"]).is_file(), name
    # ... and compiled packages come from Pyodide's CDN at the same pinned version
    assert lock["numpy"]["file_name"].startswith(f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/")


def test_no_stale_jupyterlite_state_is_left_behind():
    require_site()
    for folder in (ROOT, ROOT / "book" / "_lite"):
        assert not (folder / ".jupyterlite.doit.db").exists(), folder


def test_course_wheel_is_served_at_its_fixed_url_and_indexed_for_piplite():
    require_site()
    wheel = SITE / COURSE_WHEEL_DIR / wheel_name()
    assert wheel.is_file(), f"missing {wheel.relative_to(SITE)}"
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "mlsys_lab/viz/bandwidth.py" in names
    assert any(n.startswith("mlsys_lab/public_tests/") for n in names)
    index = json.loads((LITE / "pypi" / "all.json").read_text())
    assert "mlsys-lab" in index and "pint" in index and "ipywidgets" in index
    # the live notebooks install it by name from this index: same bytes, and the hash piplite
    # checks is this wheel's (a stale metadata cache once kept an old one)
    import hashlib

    (release,) = index["mlsys-lab"]["releases"].values()
    indexed = LITE / "pypi" / release[0]["filename"]
    assert indexed.read_bytes() == wheel.read_bytes()
    assert release[0]["digests"]["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()


def test_live_notebooks_use_the_live_setup_cell():
    require_site()
    for name in CHAPTERS:
        nb = json.loads((LITE / "files" / f"{name}.ipynb").read_text())
        setup = "".join(nb["cells"][1]["source"]) if nb["cells"][1]["cell_type"] == "code" else ""
        setup = setup or next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert "%pip install --quiet --no-deps mlsys-lab" in setup, name
        assert "git+" not in setup


# ---------------------------------------------------------------------------------------------
# in the browser

READOUTS = (
    "(el) => Array.from(el.querySelectorAll('.widget-readout, input, select'))"
    ".map(e => e.value !== undefined && e.tagName !== 'DIV' ? e.value : e.textContent)"
)


def _snapshot_state(output):
    return output.evaluate(READOUTS), output.evaluate("(el) => el.innerText")


# every part of a control a reader could try to use, with how visible it is
CONTROL_PARTS = """(el) => Array.from(el.querySelectorAll(
        '.slider-container, .widget-readout, select, input, button, .widget-toggle-button'))
    .map(e => ({part: e.className || e.tagName, opacity: parseFloat(getComputedStyle(e).opacity)}))"""
SNAPSHOT_LABELS = """(el) => Array.from(el.querySelectorAll('.widget-interact > :not(.widget-output)'))
    .map(box => (box.querySelector('.widget-label') || {textContent: ''}).textContent.trim())"""


def _calculator_in(code: str) -> tuple[str, str] | None:
    return next(((m, f) for m, f, _, _ in CALCULATORS if f"{m}.{f}(" in code), None)


@pytest.mark.browser
@pytest.mark.parametrize("name", CHAPTERS)
def test_snapshot_widgets_never_show_an_input_they_ignore(browser, site_url, name):  # noqa: F811
    visit = PageVisit(browser, site_url, f"notebooks/{name}.html")
    page = visit.page
    try:
        page.wait_for_selector(".mlsys-snapshot .widget-slider, .mlsys-snapshot .widget-dropdown", timeout=15000)
        page.wait_for_timeout(500)
        outputs = page.locator(".mlsys-snapshot")
        assert outputs.count() >= 1
        calculators = []
        for i in range(outputs.count()):
            output = outputs.nth(i)
            assert output.evaluate("(el) => el.inert"), f"{name}: snapshot {i} accepts input"
            bar = output.evaluate("(el) => el.previousElementSibling.innerText")
            assert "Snapshot" in bar, bar
            # every control is visibly off, and the bar offers the live version
            parts = output.evaluate(CONTROL_PARTS)
            assert parts and all(p["opacity"] <= 0.5 for p in parts), f"{name}: snapshot {i} not dimmed: {parts}"
            go_live = output.evaluate(
                "(el) => Array.from(el.previousElementSibling.querySelectorAll('.mlsys-go-live'))"
                ".map(e => e.textContent)"
            )
            assert go_live in (["Run live"], ["Open the chapter live"]), f"{name}: snapshot {i}: {go_live}"
            code = output.evaluate("(el) => el.closest('.cell').querySelector('.cell_input pre').textContent")
            calculator = _calculator_in(code)
            if calculator:  # the page shows every control the calculator has
                assert go_live == ["Run live"], f"{name}: {calculator} cannot run live"
                labels = [c.label for c in live_console.python_controls(*calculator)]
                assert output.evaluate(SNAPSHOT_LABELS) == labels, f"{name}: {calculator}"
                calculators.append(calculator)
            before = _snapshot_state(output)
            # a reader's attempts, on every control: click it, drag it, use the keyboard
            for handle in output.locator(".noUi-handle, .slider-container, select, input, button").all():
                box = handle.bounding_box()
                if box:
                    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                    page.mouse.down()
                    page.mouse.move(box["x"] + 120, box["y"] + box["height"] / 2)
                    page.mouse.up()
                    page.keyboard.press("ArrowRight")
                    page.keyboard.press("End")
            after = _snapshot_state(output)
            inputs_changed = before[0] != after[0]
            output_changed = before[1] != after[1]
            assert not inputs_changed or output_changed, f"{name}: snapshot {i} moved but did not recompute"
            assert not inputs_changed, f"{name}: snapshot {i} took input"
        shown = [(m, f) for m, f in _by_chapter().get(name, [])]
        assert sorted(calculators) == sorted(shown), f"{name}: snapshots of {calculators}, the chapter has {shown}"
        live = page.locator(".mlsys-chapter-live a")
        assert live.count() == 1 and f"path={name}.ipynb" in live.get_attribute("href")
        assert not visit.console_errors, visit.console_errors
    finally:
        visit.close()


@pytest.mark.browser
def test_one_tab_and_enter_reach_run_live(browser, site_url):  # noqa: F811
    """A keyboard reader: the first Tab lands on the skip button, Enter puts the focus on the
    first calculator's Run live button."""
    visit = PageVisit(browser, site_url, f"notebooks/{LIVE_CHAPTER}.html")
    page = visit.page
    try:
        page.wait_for_selector("button.mlsys-go-live")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "mlsys-skip-live"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.classList.contains('mlsys-go-live')")
        assert page.evaluate("() => document.activeElement.textContent") == "Run live"
    finally:
        visit.close()


def _chapter_of(module: str, function: str) -> str:
    for master in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.md")):
        if f"ml.viz.{module}.{function}(" in master.read_text():
            return master.stem
    raise AssertionError(f"no chapter shows {module}.{function}")


def _by_chapter() -> dict[str, list[tuple[str, str]]]:
    chapters: dict[str, list[tuple[str, str]]] = {}
    for module, function, _, _ in CALCULATORS:
        chapters.setdefault(_chapter_of(module, function), []).append((module, function))
    return chapters


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("chapter", sorted(_by_chapter()))
def test_every_live_calculator_answers_without_the_cdn(browser, site_url, chapter):  # noqa: F811
    """Run live with every request outside 127.0.0.1 refused (Pyodide's CDN included): each
    calculator of the chapter shows its numbers, EVERY control (slider, dropdown, ...) moved by
    keyboard or mouse changes them and, put back, brings them back; a plot area says why it is
    empty, nothing shows a traceback, and axe finds nothing serious in the console in the site's
    light and dark mode (half the chapters open dark and switch to light, half the other way)."""
    first_mode = "dark" if sorted(_by_chapter()).index(chapter) % 2 else "light"
    other_mode = "light" if first_mode == "dark" else "dark"
    visit = PageVisit(browser, site_url, f"notebooks/{chapter}.html", color_scheme=first_mode)
    page = visit.page
    timings = []
    try:
        for module, function in _by_chapter()[chapter]:
            cell = page.locator(".cell", has=page.locator(f"pre:has-text('{module}.{function}(')")).first
            cell.scroll_into_view_if_needed()
            start = time.perf_counter()
            cell.locator(".mlsys-go-live").click()
            frame_element = cell.locator("iframe.mlsys-live-console")
            frame_element.wait_for(timeout=10_000)
            frame = frame_element.element_handle().content_frame()
            frame.locator(".widget-output .jp-OutputArea-output").first.wait_for(timeout=180_000)
            first_number = time.perf_counter() - start
            # the plot libraries were refused: plots explain themselves, nothing raises; the
            # console's last cell (load them, redraw) has run, so no redraw undoes a move
            frame.locator("text=No plot here").first.wait_for(timeout=60_000) if module in PLOTTING else None
            live_console.wait_settled(frame)
            moves = live_console.drive_every_control(frame, module, function)
            text = frame.locator("body").inner_text()
            assert "Traceback" not in text and "Error" not in text, f"{module}: {text[-800:]}"
            for mode in (first_mode, other_mode):
                if mode != first_mode:
                    live_console.set_site_theme(page, frame, mode)
                live_console.wait_theme(frame, mode)
                problems = [v for v in axe_in_frame(frame) if v["impact"] in BLOCKING_IMPACTS]
                assert not problems, f"{module} ({mode}): {problems}"
            live_console.set_site_theme(page, frame, first_mode)
            timings.append(f"{module}: first number {first_number:.1f} s after Run live; " + "; ".join(moves))
        assert not visit.external or all("cdn.jsdelivr.net" in url for url in visit.external), visit.external[:5]
        print("\n".join(timings))
    finally:
        visit.close()


def axe_in_frame(frame) -> list[dict]:
    frame.add_script_tag(path=str(AXE))
    return frame.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )


def _widget_defaults() -> dict:
    import inspect

    from mlsys_lab.viz.bandwidth import clinic_bandwidth_widget

    return {k: p.default for k, p in inspect.signature(clinic_bandwidth_widget).parameters.items()}


def _expected_clinic(patients: int) -> tuple[str, str]:
    """Raw volume and upload time as the widget prints them, for its defaults but ``patients``."""
    from mlsys_lab.science import bandwidth as bw
    from mlsys_lab.units import Q_

    d = _widget_defaults()
    day = bw.clinic_bandwidth(
        patients,
        d["photos_per_patient"],
        Q_(d["photo_mb"], "MB"),
        Q_(d["uplink_mbps"], "Mb/s"),
        Q_(d["clinic_hours"], "hour"),
        Q_(d["summary_kb"], "KB"),
    )
    return (f"{day.daily_volume.to('GB').magnitude:,.2f} GB", f"{day.upload_hours.to('hour').magnitude:,.2f} h")


@pytest.mark.browser
@pytest.mark.slow
def test_live_calculator_installs_the_course_and_recomputes(browser, site_url):  # noqa: F811
    visit = PageVisit(browser, site_url, f"notebooks/{LIVE_CHAPTER}.html")
    page = visit.page
    wheel_requests = []
    page.on("response", lambda r: COURSE_WHEEL_DIR in r.url and wheel_requests.append((r.status, r.url)))
    try:
        cell = page.locator(".cell", has=page.locator(f"pre:has-text('{LIVE_CALL}')")).first
        start = time.perf_counter()
        cell.locator(".mlsys-go-live").click()
        frame = page.frame_locator("iframe.mlsys-live-console")
        before_raw, before_hours = _expected_clinic(150)
        frame.locator("text=raw photos per day").first.wait_for(timeout=120_000)
        booted = time.perf_counter() - start
        output = frame.locator(".jp-OutputArea-output pre", has_text="raw photos per day").last
        assert before_raw in output.inner_text() and before_hours in output.inner_text()
        slider = frame.locator(".widget-slider", has_text="patients per day").first
        handle = slider.locator(".noUi-handle").first
        handle.focus()
        for _ in range(25):  # 150 -> 400 in steps of 10
            handle.press("ArrowRight")
        after_raw, after_hours = _expected_clinic(400)
        frame.locator(".jp-OutputArea-output pre", has_text=after_raw).first.wait_for(timeout=30_000)
        text = frame.locator(".jp-OutputArea-output pre", has_text="raw photos per day").last.inner_text()
        assert after_raw in text and after_hours in text, text
        assert slider.locator(".widget-readout").inner_text().strip() == "400"
        # the other inputs kept their values: the output is the calculator's for what is shown
        uplink = frame.locator(".widget-slider", has_text="uplink").locator(".widget-readout").inner_text()
        assert float(uplink) == _widget_defaults()["uplink_mbps"]
        assert any(status == 200 for status, _ in wheel_requests), wheel_requests
        assert not visit.external, f"requests to other hosts: {visit.external[:5]}"
        print(f"live kernel: calculator output {booted:.1f} s after the click")
    finally:
        visit.close()


LIVE_NOTEBOOK = "01_ml_lifecycle"

# JupyterLab draws only the cells in view, so what ran is read from the notebook's model
# (book/_lite/jupyter-lite.json exposes the app as window.jupyterapp)
RUN_ALL = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.sessionContext.ready;
    const allRan = await window.jupyterapp.commands.execute('notebook:run-all-cells');
    const cells = [];
    for (const cell of panel.content.model.cells) {
        if (cell.type !== 'code') continue;
        cells.push({source: cell.sharedModel.getSource().slice(0, 120), count: cell.executionCount,
                    outputs: cell.outputs.toJSON()});
    }
    return {allRan, cells};
}"""


def _text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    if output.get("output_type") == "error":
        return f"{output.get('ename')}: {output.get('evalue')}"
    return "".join((output.get("data") or {}).get("text/plain", ""))


@pytest.mark.browser
@pytest.mark.slow
def test_live_notebook_runs_top_to_bottom_without_the_cdn(browser, site_url):  # noqa: F811
    """The chapter as a live notebook, every request outside 127.0.0.1 refused: the setup cell
    says what loaded and why not, and Run All ends with no error cell (numbers, no plots)."""
    visit = PageVisit(browser, site_url, f"lite/notebooks/index.html?path={LIVE_NOTEBOOK}.ipynb")
    page = visit.page
    try:
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
            " && window.jupyterapp.shell.currentWidget.sessionContext",
            timeout=180_000,
        )
        result = page.evaluate(RUN_ALL)
        cells = result["cells"]
        errors = [(c["source"], _text(o)) for c in cells for o in c["outputs"] if o.get("output_type") == "error"]
        assert not errors, errors[:5]
        assert result["allRan"] and all(c["count"] for c in cells), [c["source"] for c in cells if not c["count"]][:5]
        setup = "\n".join(_text(o) for o in cells[0]["outputs"])
        assert "numpy: not loaded, because it could not be fetched from Pyodide's CDN" in setup, setup
        assert "Numbers and calculators work without them" in setup, setup
        printed = "\n".join(_text(o) for c in cells for o in c["outputs"])
        assert "No plot here: it needs" in printed
        assert "Traceback" not in printed
    finally:
        visit.close()
