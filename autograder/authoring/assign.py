"""Build every student notebook and autograder from its master.

One master per chapter notebook lives in ``solutions/NN_topic.md`` (MyST Markdown, otter-assign
markup). For each master this module

1. reads it with jupytext and splits every ```` ```otter ```` fence into its own raw cell, so a
   master can keep a question's config next to its prompt;
2. adds the pieces every notebook shares: otter's assignment config, the setup cell (installs the
   pinned tools where they are missing, as on Colab, and starts the grader) and the hand-in
   section;
3. runs ``otter assign``, which strips solutions, splits public from hidden tests, builds the
   Gradescope zip and grades the solution notebook against every test (it fails on any miss);
4. writes the results where the course expects them, with volatile metadata removed so that a
   rebuild changes no byte:

   * ``notebooks/NN_topic.ipynb``: the student notebook (committed; Colab opens it);
   * ``mlsys_lab/public_tests/NN_topic/*.py``: its public checks (committed; they ship with the
     package so that a notebook opened alone still finds them);
   * ``autograder/dist/NN_topic.zip`` and ``autograder/dist/NN_topic/``: the autograder zip, the
     graded solution notebook and all tests (git-ignored: hidden tests never leave this folder).

Usage: ``python -m autograder assign [NAME ...] [--jobs N]``. (Whether the committed files are current is
checked by the test suite, which builds every master afresh and compares.)
"""

from __future__ import annotations

import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.authoring import items, option_order, variant_tests
from autograder.common.conventions import CHECK_CELL_PREFIX, notebook_metadata, released_cell_id

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
PUBLIC_TESTS = ROOT / "mlsys_lab" / "public_tests"
DIST = ROOT / "autograder" / "dist"

OTTER_FENCE = re.compile(r"^```otter[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
# an item's authoring metadata (intent, each distractor's misconception, napkin wrong methods):
# for the audits and the grader's feedback only, never in a student notebook
ITEM_FENCE = re.compile(r"^```item[ \t]*\n(.*?)^```[ \t]*\n?", re.S | re.M)
MASTER_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


class AssignError(RuntimeError):
    """A master could not be turned into a student notebook and autograder."""


@dataclass(frozen=True)
class Outputs:
    """Where the generated files of one master go."""

    student_notebook: Path
    public_tests: Path
    dist_dir: Path
    dist_zip: Path

    @classmethod
    def under(cls, notebooks: Path, public_tests: Path, dist: Path, name: str) -> "Outputs":
        return cls(
            student_notebook=notebooks / f"{name}.ipynb",
            public_tests=public_tests / name,
            dist_dir=dist / name,
            dist_zip=dist / f"{name}.zip",
        )


# --------------------------------------------------------------------------------------------
# the shared pieces


def course_settings() -> dict:
    """Repository URL and branch, and the site's public URL (``html.baseurl``), read once
    from ``_config.yml``."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config.get("repository", {})
    site = (config.get("html", {}) or {}).get("baseurl", "")
    return {
        "url": repo.get("url", "").rstrip("/"),
        "branch": repo.get("branch", "main"),
        "site": site.rstrip("/"),
    }


COURSE_WHEEL_DIR = "_course"
"""Folder under the site root that serves the course wheel (``make book`` builds it)."""


def wheel_name() -> str:
    """File name of the course wheel this version builds (a pure-Python wheel)."""
    from mlsys_lab import __version__

    return f"mlsys_lab-{__version__}-py3-none-any.whl"


def wheel_url(site: str | None = None) -> str:
    """The course wheel's fixed URL under the site root."""
    site = course_settings()["site"] if site is None else site.rstrip("/")
    if not site:
        raise AssignError("_config.yml needs html: baseurl: (the site's public URL)")
    return f"{site}/{COURSE_WHEEL_DIR}/{wheel_name()}"


def pip_spec() -> str:
    """The pip requirement a notebook installs on Colab: the course wheel served by the site."""
    return f"mlsys-lab[student] @ {wheel_url()}"


def runtime_requirements() -> list[str]:
    """The package's runtime dependencies (pyproject.toml), which the Gradescope image needs."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [re.split(r"[\s\[<>=!~;]", req, maxsplit=1)[0] for req in project["dependencies"]]


def assignment_config(name: str) -> str:
    # pinned to the versions installed here, the exact tree CI tests (constraints.txt)
    requirements = "\n".join(f"  - {pkg}=={_installed_version(pkg)}" for pkg in runtime_requirements())
    return f"""# ASSIGNMENT CONFIG
name: {name}
init_cell: false
check_all_cell: false
export_cell: false
solutions_pdf: false
generate:
  pdf: false
  zips: false
tests:
  files: true
  ok_format: false
requirements:
{requirements}
autograder_files:
  - mlsys_lab
"""


SETUP_CELL = """\
# Setup: run this cell first. It installs the course tools where they are missing
# (Google Colab, a fresh laptop) and starts the answer checker `grader`.
PERSONAL_CODE = ""  # your code from the course (like K7Q-M2X-APZ), in the quotes: then you get your own numbers
try:
    import mlsys_lab, otter
except ImportError:
    %pip install --quiet "{pip_spec}"
    import mlsys_lab, otter
from mlsys_lab.course.notebook import start
grader = start("{name}", code=PERSONAL_CODE)"""

LITE_INSTALL = """\
%pip install --quiet pint ipywidgets
%pip install --quiet --no-deps {wheel}"""
"""Live mode (JupyterLite, Pyodide): the course wheel from the site, without the compiled
dependencies, which Pyodide loads from its CDN only when a cell needs them."""

LITE_PLOTS = """\
from mlsys_lab.course import live_mode
await live_mode.load_plot_libraries(("numpy", "matplotlib"))
_live.update()"""
"""Live console, after a calculator's numbers are shown: load numpy and matplotlib if Pyodide's
CDN answers, then redraw; where it does not, the plot area keeps its one-sentence note."""

LITE_SETUP_CELL = (
    """\
# Live mode: Python runs in your browser (JupyterLite). This cell installs the course
# library from the course site. numpy, scipy and matplotlib come from Pyodide's CDN, so
# plots need a network connection (the numbers do not); the answer checks run on Colab
# or your own Jupyter.
PERSONAL_CODE = ""  # your code from the course (like K7Q-M2X-APZ), in the quotes: then you get your own numbers
"""
    + LITE_INSTALL.format(wheel="mlsys-lab")
    + """
from mlsys_lab.course import live_mode
await live_mode.prepare_notebook()  # says what loaded; without plots, the numbers still run
from mlsys_lab.course.notebook import start
grader = start("{name}", code=PERSONAL_CODE)"""
)
"""The setup cell of a notebook opened in the site's live mode (the site build swaps it in)."""


HAND_IN_MARKDOWN = """\
## Hand in

1. Save the notebook (**File → Save**), then run **Kernel → Restart & Run All** and check that
   every cell runs without an error.
2. Run the cell below. On your own Jupyter it runs the public checks and writes a zip file next to
   the notebook: hand in that zip (or the `.ipynb`, if your course asks for it).
3. On **Google Colab** no zip can be made: use **File → Download → Download .ipynb** and hand in
   the downloaded notebook.
"""

HAND_IN_CELL = "from mlsys_lab.course.notebook import hand_in\nhand_in(grader)"


def _installed_version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# --------------------------------------------------------------------------------------------
# master -> otter-assign input


def master_cells(path: Path, first_cell):
    """The steps every reader of a master shares: read it with jupytext, strip the ``item``
    fences, split otter's fences, shuffle the options and copy the variant cells into the tests.
    ``first_cell`` opens the list (``assign``: the assignment config; the audit: an import).
    Returns the notebook, its cells, and what was shuffled and varied."""
    import jupytext

    if not MASTER_NAME.match(path.stem):
        raise AssignError(f"{path.name}: a master is named NN_topic.md (two digits, lower case)")
    try:
        nb = jupytext.read(path, fmt="md:myst")
    except Exception as exc:  # jupytext raises many kinds
        raise AssignError(f"{path.name}: not a readable MyST notebook: {exc}") from exc
    cells = [first_cell]
    for cell in nb.cells:
        cell = drop_item_fences(cell)
        if cell is not None:
            cells.extend(split_otter_fences(cell))
    try:
        cells, shuffled = option_order.shuffle(cells)
        cells, varied = variant_tests.inject(cells)
    except ValueError as exc:
        raise AssignError(f"{path.name}: {exc}") from exc
    return nb, cells, shuffled, varied


def read_master(path: Path):
    """Read a master with jupytext and return the notebook otter assign expects."""
    import nbformat

    name = path.stem
    nb, cells, shuffled, varied = master_cells(path, nbformat.v4.new_raw_cell(assignment_config(name)))
    # the setup cell goes right under the title: it must run before any code, and a reader
    # should meet the title first
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    title = next((i for i, c in enumerate(cells[:first_code]) if c.cell_type == "markdown"), None)
    cells.insert(title + 1 if title is not None else 1, _setup_cell(name))
    hand_in = nbformat.v4.new_markdown_cell(HAND_IN_MARKDOWN)
    cells.append(hand_in)
    cells.append(
        nbformat.v4.new_code_cell(HAND_IN_CELL, metadata={"tags": ["otter_ignore", "skip-execution", "remove-cell"]})
    )
    for cell in cells:
        if cell.cell_type == "raw" and "ASSIGNMENT CONFIG" in cell.source and cell is not cells[0]:
            raise AssignError(f"{path.name}: the assignment config is added by the pipeline; remove it")
    nb.cells = cells
    nb.metadata = notebook_metadata(mlsys_variants=varied, mlsys_shuffled=shuffled)
    return nb


def _setup_cell(name: str):
    import nbformat

    source = SETUP_CELL.format(pip_spec=pip_spec(), name=name)
    # run on the site build like any cell, but not shown there: readers need no installer
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["remove-cell"]})


def drop_item_fences(cell):
    """A Markdown cell without its ```` ```item ```` fences (authoring metadata), or None if
    nothing else was in it."""
    if cell.cell_type != "markdown" or "```item" not in cell.source:
        return cell
    rest = ITEM_FENCE.sub("", cell.source).strip()
    if "```item" in rest:
        raise AssignError("an ```item fence is not closed")
    if not rest:
        return None
    cell.source = rest
    return cell


def split_otter_fences(cell) -> list:
    """Turn each ```` ```otter ```` fence of a Markdown cell into a raw cell of its own."""
    import nbformat

    if cell.cell_type != "markdown" or "```otter" not in cell.source:
        return [cell]
    pieces = []
    position = 0
    for match in OTTER_FENCE.finditer(cell.source):
        before = cell.source[position : match.start()].strip()
        if before:
            pieces.append(nbformat.v4.new_markdown_cell(before))
        pieces.append(nbformat.v4.new_raw_cell(match.group(1).rstrip()))
        position = match.end()
    after = cell.source[position:].strip()
    if after:
        pieces.append(nbformat.v4.new_markdown_cell(after))
    if "```otter" in "".join(p.source for p in pieces if p.cell_type == "markdown"):
        raise AssignError("an ```otter fence is not closed")
    return pieces


# --------------------------------------------------------------------------------------------
# otter assign -> course layout


def normalize_notebook(nb, remove_check_cells: bool = False):
    """Drop everything that changes from run to run: ids, outputs, counts, volatile metadata."""
    for index, cell in enumerate(nb.cells):
        cell["id"] = released_cell_id(index)
        # cellView: Colab's form view of the cell that draws a student's option order (option_order.py)
        kept = ("tags", "deletable", "editable", "jupyter", "cellView")
        keep = {k: v for k, v in cell.get("metadata", {}).items() if k in kept}
        source = cell.source
        if cell.cell_type == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            if source.startswith(CHECK_CELL_PREFIX):
                tags = keep.setdefault("tags", [])
                if "remove-cell" not in tags:
                    tags.append("remove-cell")
        cell["metadata"] = keep
    nb.metadata = notebook_metadata(otter=nb.metadata.get("otter", {}))
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def write_notebook(nb, path: Path) -> None:
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb) + "\n"
    path.write_text(text, encoding="utf-8")


def _clean_package_copy(destination: Path) -> None:
    """Copy mlsys_lab without caches and without the public tests of other notebooks."""
    shutil.copytree(
        ROOT / "mlsys_lab",
        destination,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "public_tests"),
    )


def assign_one(master: Path, outputs: Outputs, run_tests: bool = True) -> str:
    """Run the whole pipeline for one master. Returns otter's log."""
    import nbformat

    name = master.stem
    nb = read_master(master)
    varied = list(nb.metadata.get("mlsys_variants", []))
    shuffled = dict(nb.metadata.get("mlsys_shuffled", {}))
    try:  # each item's intent and distractors' misconceptions, for the grader's feedback
        grader_items = items.for_grader(master)
    except items.ItemError as exc:
        raise AssignError(str(exc)) from exc
    written = written_for_zip(master)
    with tempfile.TemporaryDirectory(prefix=f"assign-{name}-") as tmp:
        work = Path(tmp)
        _clean_package_copy(work / "mlsys_lab")
        nbformat.write(nb, work / f"{name}.ipynb")
        command = [sys.executable, "-m", "autograder.authoring.otter_cli", "assign", f"{name}.ipynb", "out"]
        if not run_tests:
            command.append("--no-run-tests")
        # the copy of mlsys_lab in `work` first (it is what the autograder ships), then ours
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(work), str(ROOT)]), MPLBACKEND="Agg")
        proc = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
        log = proc.stdout + proc.stderr
        if proc.returncode != 0:
            raise AssignError(f"otter assign failed for {name} (the solution must pass every test):\n{log}")
        out = work / "out"
        _publish(name, out, outputs, varied, shuffled, grader_items=grader_items, written=written)
    return log


def written_for_zip(master: Path) -> bytes:
    """The master's written questions (prompt and rubric) as the zip carries them, so that
    ``written`` works from the zip alone (an installed tool has no master)."""
    from autograder.review.written.master import MasterError, written_json, written_questions

    try:
        return written_json(written_questions(master), master.stem)
    except MasterError as exc:
        raise AssignError(str(exc)) from exc


def _publish(
    name: str,
    out: Path,
    outputs: Outputs,
    varied: list | None = None,
    shuffled: dict | None = None,
    grader_items: dict | None = None,
    written: bytes | None = None,
) -> None:
    import nbformat

    from autograder.authoring.personal import released_member
    from autograder.review.written.master import WRITTEN_MEMBER

    student = nbformat.read(out / "student" / f"{name}.ipynb", as_version=4)
    write_notebook(normalize_notebook(student), outputs.student_notebook)

    if outputs.public_tests.exists():
        shutil.rmtree(outputs.public_tests)
    outputs.public_tests.mkdir(parents=True)
    for test in sorted((out / "student" / "tests").glob("*.py")):
        shutil.copyfile(test, outputs.public_tests / test.name)

    if outputs.dist_dir.exists():
        shutil.rmtree(outputs.dist_dir)
    outputs.dist_dir.mkdir(parents=True)
    solution = nbformat.read(out / "autograder" / f"{name}.ipynb", as_version=4)
    write_notebook(normalize_notebook(solution), outputs.dist_dir / f"{name}.ipynb")
    shutil.copytree(out / "autograder" / "tests", outputs.dist_dir / "tests")
    zips = glob.glob(str(out / "autograder" / f"{name}-autograder_*.zip"))
    if len(zips) != 1:
        raise AssignError(f"{name}: expected one autograder zip from otter assign, found {len(zips)}")
    variants = {
        "assignment": name,
        "order": question_order(solution),  # the notebook's order, for every table the grader writes
        "questions": list(varied or []),
        "shuffled": dict(shuffled or {}),  # question -> number of options, shown in a per-student order
    }
    # what the installed tool reads from the zip: the released notebook (personal) and the
    # written questions with their rubrics (written); both stay with the instructor, and on
    # Gradescope the zip's folder is hidden from the student's process
    extra = {released_member(name): outputs.student_notebook.read_bytes()}
    if written is not None:
        extra[WRITTEN_MEMBER] = written
    rebuild_zip(Path(zips[0]), outputs.dist_zip, variants, grader_items=grader_items, extra=extra)


def question_order(nb) -> list[str]:
    """The auto-graded questions in the order the notebook asks them (its ``grader.check`` calls)."""
    import re

    order: list[str] = []
    for cell in nb.cells:
        for name in re.findall(
            r"grader\.check\(\s*[\"']([^\"']+)[\"']", cell.source if cell.cell_type == "code" else ""
        ):
            if name not in order:
                order.append(name)
    return order


GRADER_FILES = (
    "autograder/__init__.py",
    "autograder/__main__.py",  # program(): the name in a command's usage line
    "autograder/common/__init__.py",
    "autograder/common/conventions.py",
    "autograder/common/csv_cells.py",
)
"""Besides autograder/grading/, what the Gradescope zip needs of the instructor tools."""


def rebuild_zip(
    otter_zip: Path,
    destination: Path,
    variants: dict | None = None,
    grader_items: dict | None = None,
    extra: dict[str, bytes] | None = None,
) -> None:
    """Otter's Gradescope zip with our two-stage grader behind its ``run_autograder``.

    Otter's own ``run_autograder`` runs the hidden tests inside the student's kernel; ours runs
    the notebook sandboxed and scores its answers apart (``autograder/grading/gradescope.py``).
    Everything else (tests, ``environment.yml``, the course package under ``files/``) is
    otter's; ``setup.sh`` also installs bubblewrap. Entries are written in a fixed order with a
    fixed date, so the zip's bytes depend only on its contents. ``extra``: more members, by name."""
    import zipfile

    from autograder.grading.gradescope import RUN_AUTOGRADER

    with zipfile.ZipFile(otter_zip) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    members["run_autograder"] = RUN_AUTOGRADER.encode()
    members["mlsys_variants.json"] = json.dumps(variants or {"questions": []}, indent=1, sort_keys=True).encode()
    # each item's misconceptions by the master's letter (autograder/authoring/items.py), for the feedback
    members[items.ITEMS_FILE] = json.dumps(grader_items or {"questions": {}}, indent=1, sort_keys=True).encode()
    setup = members.get("setup.sh", b"#!/usr/bin/env bash\n").decode()
    if "bubblewrap" not in setup:
        setup = setup.replace("apt-get update\n", "apt-get update\napt-get install -y bubblewrap\n", 1)
    members["setup.sh"] = setup.encode()
    members.update(extra or {})
    grader_files = [ROOT / f for f in GRADER_FILES] + sorted((ROOT / "autograder" / "grading").glob("*.py"))
    for path in grader_files:
        members[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name in ("run_autograder", "setup.sh") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, members[name])


def masters(names: list[str] | None = None) -> list[Path]:
    found = sorted(SOLUTIONS.glob("[0-9][0-9]_*.md"))
    if names:
        wanted = set(names)
        found = [m for m in found if m.stem in wanted]
        missing = wanted - {m.stem for m in found}
        if missing:
            raise AssignError(f"no master for: {', '.join(sorted(missing))} (see solutions/)")
    return found


def resolve_masters(names: list[str]) -> list[Path]:
    """Master files from names (``01_ml_lifecycle``) or paths (``tests/fixtures/99_fixture.md``);
    every master when ``names`` is empty."""
    paths, plain = [], []
    for name in names:
        if name.endswith(".md"):
            if not Path(name).is_file():
                raise AssignError(f"no master at {name}")
            paths.append(Path(name))
        else:
            plain.append(name)
    if plain or not names:
        paths += masters(plain or None)
    if not paths:
        raise AssignError(f"no masters found in {SOLUTIONS}")
    return paths


def assign_all(names=None, jobs: int = 2, notebooks=NOTEBOOKS, public_tests=PUBLIC_TESTS, dist=DIST) -> None:
    selected = masters(names)
    if not selected:
        raise AssignError("no masters found in solutions/")
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {
            pool.submit(assign_one, m, Outputs.under(Path(notebooks), Path(public_tests), Path(dist), m.stem)): m
            for m in selected
        }
        failures = []
        for future in concurrent.futures.as_completed(futures):
            master = futures[future]
            try:
                future.result()
                print(f"assigned {master.stem}: solution passes every test")
            except AssignError as exc:
                failures.append(str(exc))
        if failures:
            raise AssignError("\n\n".join(failures))


def main(argv=None) -> int:
    from autograder.__main__ import program

    parser = argparse.ArgumentParser(prog=f"{program()} assign", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="masters to build (default: all), e.g. 01_ml_lifecycle")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="masters built at once")
    args = parser.parse_args(argv)
    try:
        assign_all(args.names or None, jobs=args.jobs)
    except AssignError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
