"""Sphinx extension: the book's live mode (JupyterLite with the Pyodide kernel).

What it adds to the Jupyter Book build, on top of ``jupyterlite_sphinx``:

* **The course wheel**, built from ``mlsys_lab/`` into ``_build/course/`` (only when a source
  changed) and served at the fixed URL ``<site>/_course/<wheel>``: the notebooks' Colab setup
  cell installs it from there, and so does the live mode.
* **Live notebooks**: each chapter notebook, with its setup cell swapped for the live-mode one
  (``autograder.authoring.assign.LITE_SETUP_CELL``), in JupyterLite's file system.
* **An honest, offline JupyterLite build**: the vendored Pyodide core in ``book/_lite/static/
  pyodide`` (its lock file points compiled packages at Pyodide's CDN); the lite step runs only
  when its inputs changed (a no-op rebuild skips it) and never trusts ``.jupyterlite.doit.db``,
  which can make ``jupyter lite build`` skip the step that sets ``pyodideUrl`` (jupyterlite
  #1194, #1268): the db is deleted before and after, and the result is checked.
* **The snapshot/live switch** (``book/_assets/live-mode.js``) reads ``window.MLSYS_LIVE``.
* No web font from a CDN (``jupyterlite_sphinx`` adds one to every page).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LITE_DIR = ROOT / "book" / "_lite"
WHEEL_BUILD = ROOT / "_build" / "course"
LITE_OUTPUT = "lite"
PYODIDE_URL = "./static/pyodide/pyodide.mjs"
PYODIDE_SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"
DOIT_DB = ".jupyterlite.doit.db"
STAMP = ".mlsys-lite-inputs"


def _assign():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from autograder.authoring import assign

    return assign


# --------------------------------------------------------------------------------------------
# the course wheel


def _package_sources() -> list[Path]:
    files = [ROOT / "pyproject.toml", ROOT / "README.md", ROOT / "LICENSE"]
    files += [p for p in (ROOT / "mlsys_lab").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files)


def build_course_wheel() -> Path:
    """The course wheel in ``_build/course/``, rebuilt only when a package source changed."""
    wheel = WHEEL_BUILD / _assign().wheel_name()
    newest = max(p.stat().st_mtime for p in _package_sources())
    if wheel.exists() and wheel.stat().st_mtime >= newest:
        return wheel
    shutil.rmtree(WHEEL_BUILD, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="course-wheel-") as tmp:
        src = Path(tmp) / "src"
        for path in _package_sources():
            target = src / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        subprocess.run(
            # the venv's own setuptools, no download: the build works offline
            [
                sys.executable,
                "-m",
                "build",
                "--wheel",
                "--no-isolation",
                "--skip-dependency-check",
                "--outdir",
                str(WHEEL_BUILD),
                str(src),
            ],
            check=True,
            capture_output=True,
        )
    if not wheel.exists():
        raise RuntimeError(f"the course wheel build did not write {wheel.name}")
    return wheel


# --------------------------------------------------------------------------------------------
# live notebooks


def live_notebook(path: Path) -> dict:
    """A chapter notebook as the live mode opens it: the live-mode setup cell in place of the
    Colab one."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    assign = _assign()
    source = assign.LITE_SETUP_CELL.format(name=path.stem)
    for cell in nb["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and text.startswith("# Setup: run this cell first"):
            cell["source"] = source
            cell["metadata"] = {}
            break
    else:
        raise RuntimeError(f"{path.name}: no setup cell to swap for the live-mode one")
    return nb


def write_live_contents(app) -> Path:
    contents = Path(app.srcdir) / app.config.jupyterlite_content_dir
    contents.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        text = json.dumps(live_notebook(path), indent=1, ensure_ascii=False) + "\n"
        target = contents / path.name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return contents


# --------------------------------------------------------------------------------------------
# the JupyterLite step


def _remove_doit_db(app) -> None:
    for folder in {Path(app.srcdir), LITE_DIR, Path.cwd()}:
        (folder / DOIT_DB).unlink(missing_ok=True)


def _inputs_fingerprint(app, contents: Path, wheel: Path) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256()
    for package in ("jupyterlite-core", "jupyterlite-pyodide-kernel", "jupyterlite-sphinx"):
        digest.update(f"{package}=={version(package)}\n".encode())
    for path in sorted(p for p in LITE_DIR.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(LITE_DIR).parts):
            continue  # caches and doit state, which the lite build writes
        stat = path.stat()  # vendored files: size and time tell a change
        digest.update(f"{path.relative_to(LITE_DIR)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    # the notebooks are rewritten on every build (jupyterlite_sphinx empties their folder): by content
    for path in sorted(contents.rglob("*.ipynb")) + [wheel]:
        digest.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def pyodide_settings(lite: Path) -> dict:
    """The Pyodide kernel's settings in a built ``lite/jupyter-lite.json``."""
    config = json.loads((lite / "jupyter-lite.json").read_text(encoding="utf-8"))
    return config["jupyter-config-data"].get("litePluginSettings", {}).get(PYODIDE_SETTINGS, {})


def _lite_is_sound(lite: Path) -> bool:
    try:
        return pyodide_settings(lite).get("pyodideUrl") == PYODIDE_URL and (lite / PYODIDE_URL).exists()
    except (OSError, KeyError, ValueError):
        return False


def run_lite_build(app, exception) -> None:
    """Build JupyterLite into ``<site>/lite`` when its inputs changed; check the result."""
    if exception is not None or app.builder.format != "html":
        return
    from jupyterlite_sphinx import jupyterlite_sphinx as jls

    lite = Path(app.outdir) / LITE_OUTPUT
    contents = Path(app.srcdir) / app.config.jupyterlite_content_dir
    wheel = Path(app.config.jupyterlite_build_command_options["piplite-wheels"])
    fingerprint = _inputs_fingerprint(app, contents, wheel)
    stamp = Path(app.outdir).parent / STAMP  # beside the site, not published in it
    if _lite_is_sound(lite) and stamp.exists() and stamp.read_text() == fingerprint:
        print("[live_book] JupyterLite is up to date")
        return
    _remove_doit_db(app)
    shutil.rmtree(lite, ignore_errors=True)
    # the wheel metadata cache keeps a wheel's sha256 by file name: a changed course wheel of
    # the same version would be indexed with its old hash, and piplite would refuse it
    shutil.rmtree(LITE_DIR / ".cache", ignore_errors=True)
    try:
        jls.jupyterlite_build(app, None)
    finally:
        _remove_doit_db(app)
        shutil.rmtree(LITE_DIR / ".cache", ignore_errors=True)
    if not _lite_is_sound(lite):
        raise RuntimeError(f"the JupyterLite build did not point the kernel at {PYODIDE_URL}")
    stamp.write_text(fingerprint)


def _take_over_lite_build(app) -> None:
    """Replace jupyterlite_sphinx's own build-finished step by :func:`run_lite_build`."""
    from jupyterlite_sphinx import jupyterlite_sphinx as jls

    for listener in list(app.events.listeners["build-finished"]):
        if listener.handler is jls.jupyterlite_build:
            app.disconnect(listener.id)


# --------------------------------------------------------------------------------------------
# wiring


def on_builder_inited(app) -> None:
    _take_over_lite_build(app)
    _remove_doit_db(app)
    wheel = build_course_wheel()
    app.config.jupyterlite_build_command_options = {"piplite-wheels": str(wheel)}
    write_live_contents(app)
    assign = _assign()
    live = {
        "wheel": f"{assign.COURSE_WHEEL_DIR}/{wheel.name}",
        "lite": f"{LITE_OUTPUT}/",
        "install": assign.LITE_INSTALL,
        # after the numbers: load the plot libraries if the CDN answers, then redraw (or explain)
        "plots": assign.LITE_PLOTS,
    }
    app.add_js_file(None, body=f"window.MLSYS_LIVE = {json.dumps(live)};", priority=400)
    app.add_js_file("live-mode.js", priority=600)
    app.add_css_file("live-mode.css")
    app.add_js_file("a11y-fixes.js", priority=600)
    app.add_css_file("a11y-fixes.css")


def copy_wheel(app, exception) -> None:
    """Serve the course wheel at its fixed URL (after the pages, before JupyterLite)."""
    if exception is not None or app.builder.format != "html":
        return
    wheel = build_course_wheel()
    target = Path(app.outdir) / _assign().COURSE_WHEEL_DIR
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.whl"):
        if old.name != wheel.name:
            old.unlink()
    shutil.copy2(wheel, target / wheel.name)


def setup(app):
    app.setup_extension("jupyterlite_sphinx")
    # jupyterlite_sphinx puts a Google web font on every page; the site loads nothing from
    # another host, and the font is only used by its "try examples" buttons
    app.registry.css_files = [(f, a) for f, a in app.registry.css_files if not f.startswith("http")]
    app.connect("builder-inited", on_builder_inited)
    app.connect("build-finished", copy_wheel, priority=400)
    app.connect("build-finished", run_lite_build, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
