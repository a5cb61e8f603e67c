"""The shell blocks the README and the guides tell a person to run, run as written (issue 25).

Blocks are read with pytest-codeblocks' extractor. Each ```bash block in a document below carries
a comment on the line before it, invisible on GitHub and on the site:

* ``<!--pytest.mark.docs(name=..., venv=..., notebook=..., site=False)-->``: run it, verbatim,
  with bash in a temporary directory that holds a copy of the repository's tracked files (what a
  clone holds) and no virtual environment. ``venv`` is the environment the block creates;
  ``notebook`` the chapter notebook whose setup cell must then run there without an error;
  ``site=True`` serves the built site (``_build/html``) on 127.0.0.1 and points the block's
  public site address at it. A block whose last line starts JupyterLab is run until the server
  answers on 127.0.0.1, then stopped.
* ``<!--pytest.mark.skip(reason=...)-->``: not run here, and the reason says what checks it
  instead.

A block with neither fails the suite, so a new command in the docs cannot go untested by accident.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from pytest_codeblocks import extract_from_file

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "book" / "student_guide.md", ROOT / "book" / "instructor_guide.md"]
SITE = ROOT / "_build" / "html"
SHELLS = {"bash", "sh", "shell", "console"}
SERVER_WAIT = 900  # seconds for a block's installs and JupyterLab's start (a fresh pip cache is slow)


def _mark(text: str) -> tuple[str, dict]:
    """``pytest.mark.docs(name="x", site=True)`` -> ("docs", {"name": "x", "site": True})."""
    call = ast.parse(text, mode="eval").body
    if isinstance(call, ast.Call):
        return call.func.attr, {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    return call.attr, {}


def shell_blocks() -> list[tuple[Path, object, dict[str, dict]]]:
    found = []
    for doc in DOCS:
        for block in extract_from_file(doc):
            if (block.syntax or "").strip() in SHELLS:
                found.append((doc, block, dict(_mark(m) for m in block.marks)))
    return found


def runnable() -> list:
    """One test per distinct block: the README and the student guide may show the same commands
    (then one run covers both, and its id names both)."""
    distinct: dict[tuple, tuple] = {}
    for doc, block, marks in shell_blocks():
        if "docs" in marks and "session" not in marks["docs"]:
            options = {k: v for k, v in marks["docs"].items() if k != "name"}
            key = (block.code, tuple(sorted(options.items())))
            names = distinct.get(key, (None, None, None, []))[3]
            distinct[key] = (doc, block, marks["docs"], [*names, marks["docs"]["name"]])
    return [pytest.param(doc, block, options, id="+".join(names)) for doc, block, options, names in distinct.values()]


def test_every_shell_block_is_run_or_says_why_not():
    unmarked = [
        f"{doc.relative_to(ROOT)}:{block.lineno}"
        for doc, block, marks in shell_blocks()
        if "docs" not in marks and not (marks.get("skip") or {}).get("reason")
    ]
    assert not unmarked, f"shell blocks with neither a docs mark nor a skip reason: {unmarked}"


def session(name: str) -> list[tuple[str, str]]:
    """The blocks of one session, in document order: (block name, code)."""
    return [
        (marks["docs"]["name"], block.code)
        for _, block, marks in shell_blocks()
        if "docs" in marks and marks["docs"].get("session") == name
    ]


def test_the_student_paths_are_among_the_blocks_run():
    names = {name for param in runnable() for name in param.id.split("+")}
    assert {"laptop-clone", "laptop-wheel", "guide-laptop"} <= names
    week = [name for name, _ in session("instructor-week")]
    assert week[:2] == ["instructor-secret-and-codes", "instructor-personal"] and "instructor-export" in week


def _copy_of_the_repository(destination: Path) -> Path:
    """The repository's tracked files as they are in the working tree: what a clone holds."""
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    )
    for name in filter(None, files):
        source, target = ROOT / name, destination / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    return destination


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve_site():
    if not (SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make book` (make test builds it first)")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def _public_site_address() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["baseurl"]


def _environment(home: Path, jupyter_config: Path) -> dict:
    """A person's shell: no project virtual environment on PATH, their own home, and the
    machine's pip cache (so a second run does not download the same wheels again)."""
    path = [p for p in os.environ["PATH"].split(os.pathsep) if not p.startswith(str(ROOT))]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env.update(
        PATH=os.pathsep.join(path),
        HOME=str(home),
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        JUPYTER_CONFIG_DIR=str(jupyter_config),
    )
    return env


def _jupyter_config(directory: Path, port: int, token: str) -> Path:
    """Where JupyterLab listens when the block starts it: 127.0.0.1, a free port, no browser."""
    directory.mkdir(parents=True)
    config = {
        # CI runs as root, where JupyterLab refuses to start unless told; a student never is
        "ServerApp": {
            "ip": "127.0.0.1",
            "port": port,
            "port_retries": 0,
            "open_browser": False,
            "allow_root": os.geteuid() == 0,
        },
        "IdentityProvider": {"token": token},
    }
    (directory / "jupyter_server_config.json").write_text(json.dumps(config))
    return directory


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _run_block(script: str, cwd: Path, env: dict, port: int, token: str, log: Path) -> None:
    """Run the block with bash; if it starts a server, wait until it answers, then stop it."""
    starts_server = script.strip().splitlines()[-1].lstrip().startswith("jupyter lab")
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        if not starts_server:
            assert proc.wait(timeout=SERVER_WAIT) == 0, log.read_text()[-4000:]
            return
        deadline = time.monotonic() + SERVER_WAIT
        status = f"http://127.0.0.1:{port}/api/status?token={token}"
        while not _answers(status):
            if proc.poll() is not None:
                pytest.fail(
                    f"the block ended (exit {proc.returncode}) before JupyterLab answered:\n" + log.read_text()[-4000:]
                )
            if time.monotonic() > deadline:
                pytest.fail("JupyterLab did not answer within the wait:\n" + log.read_text()[-4000:])
            time.sleep(1)
        lab = f"http://127.0.0.1:{port}/lab?token={token}"
        assert _answers(lab), "JupyterLab's page did not load"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


SETUP_CELL_RUN = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
setup = next(cell for cell in nb.cells if cell.cell_type == "code")
nb.cells = [setup]
NotebookClient(nb, timeout=300, kernel_name="python3").execute()
errors = [o for o in setup.outputs if o.get("output_type") == "error"]
assert not errors, errors
print("setup cell ran:", "".join(o.get("text", "") for o in setup.outputs if o.get("name") == "stdout")[:300])
"""


@pytest.mark.slow
@pytest.mark.parametrize("doc, block, options", runnable())
def test_block_runs_as_written(doc, block, options, tmp_path):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    if not options.get("site"):
        _copy_of_the_repository(work)
    port, token = _free_port(), "docs-test"
    env = _environment(home, _jupyter_config(tmp_path / "jupyter", port, token))
    script, server = block.code, None
    try:
        if options.get("site"):
            server, local = _serve_site()
            public = _public_site_address()
            assert public in script, f"the block does not use the site's address {public}"
            script = script.replace(public, local)
        _run_block(script, work, env, port, token, tmp_path / "block.log")
        python = work / options["venv"] / "bin" / "python"
        assert python.exists(), f"the block did not create {options['venv']}"
        ran = subprocess.run(
            [str(python), "-c", SETUP_CELL_RUN, str(work / options["notebook"])],
            cwd=work,
            env={**env, "PATH": f"{python.parent}{os.pathsep}{env['PATH']}"},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr[-4000:]
    finally:
        if server is not None:
            server.shutdown()


# ---------------------------------------------------------------------------------------------
# the instructor's week: the guide's blocks in order, in one shell session


def _week_setup(work: Path, home: Path, course) -> None:
    """What the guide assumes is there: a checkout after ``make course`` (its environment and
    autograders), a roster, and a folder of hand-ins: one student's right answers for their own
    numbers (the master's solution notebook, which computes from the student's draw) and one
    blank notebook."""
    _copy_of_the_repository(work)
    (work / ".venv").symlink_to(ROOT / ".venv")
    (work / "autograder" / "dist").symlink_to(course.dist)
    (work / "roster.csv").write_text(
        "file,student_id,name,email\nalice.ipynb,s001,Alice Ament,alice@example.edu\n"
        "bob.ipynb,s002,Bob Bower,bob@example.edu\n"
    )
    hand_ins = work / "hand-ins" / "01"
    hand_ins.mkdir(parents=True)
    solution = course.dist / "01_ml_lifecycle" / "01_ml_lifecycle.ipynb"
    (hand_ins / "alice.ipynb").write_bytes(solution.read_bytes())
    (hand_ins / "bob.ipynb").write_bytes((ROOT / "notebooks" / "01_ml_lifecycle.ipynb").read_bytes())
    (home / "Downloads").mkdir(parents=True)


def _score_every_written_answer(work: Path, home: Path) -> None:
    """The browser step of Wednesday: a grader scores every written answer on the grading page
    and presses *Download scores*; here each answer gets its full points (a blank one 0)."""
    import csv

    from autograder.common import csv_cells

    with open(work / "grades" / "01" / "written" / "written_answers.csv", newline="", encoding="utf-8") as f:
        rows = [{k: csv_cells.read_cell(v) for k, v in row.items()} for row in csv.DictReader(f)]
    assert rows, "the grade step wrote no written answers"
    with open(home / "Downloads" / "scores_all.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["question", "code", "score"])
        for row in rows:
            writer.writerow([row["question"], row["code"], row["points"] if row["answer"].strip() else 0])


BEFORE = {"instructor-import-scores": _score_every_written_answer}


@pytest.mark.slow
def test_the_instructor_week_runs_as_written(tmp_path, built_course):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    _week_setup(work, home, built_course)
    env = _environment(home, tmp_path / "unused-jupyter-config")
    env["PATH"] = f"{work / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"
    # the tools run from this checkout (its autograders), not from the one the shared
    # environment was installed from (a fresh clone has none built there)
    env["PYTHONPATH"] = str(work)
    state = tmp_path / "exported.sh"
    state.write_text("")
    for name, code in session("instructor-week"):
        if name in BEFORE:
            BEFORE[name](work, home)
        # each block in a fresh bash that starts from what the blocks before it exported
        script = f"source {state}\n{code}\nexport -p > {state}\n"
        ran = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=900
        )
        assert ran.returncode == 0, f"{name}:\n{ran.stdout[-3000:]}\n{ran.stderr[-3000:]}"
    # what the week produced, as the guide says
    import csv

    from autograder.common import csv_cells

    with open(work / "grades" / "01" / "final_grades.csv", newline="", encoding="utf-8") as f:
        rows = {csv_cells.read_cell(r["file"]): r for r in csv.DictReader(f)}
    assert float(rows["alice.ipynb"]["percent_correct"]) == 1.0, rows["alice.ipynb"]
    assert float(rows["bob.ipynb"]["percent_correct"]) == 0.0, rows["bob.ipynb"]
    assert len((work / "canvas-lab01.csv").read_text().splitlines()) >= 3
    assert (work / "gs-lab01.csv").exists() and (work / "codes.csv").exists()
    assert (work / "personal" / "01").is_dir() and (work / "path" / "to" / "course" / "source").is_dir()
