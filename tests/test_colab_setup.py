"""The Colab path, as a student meets it: a fresh Python with nothing of the course on it.

Serves ``_build/html`` on 127.0.0.1 (``make book`` builds it), creates a new virtual environment
outside the repository with only IPython in it, and runs a chapter notebook's setup cell, with
the site URL of ``_config.yml`` pointing at the local server, then the notebook's first public
check. The setup cell must install the course wheel from the site (no git tag) and the pinned
checker from the package index, and the check must answer with its message.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import venv
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import ROOT

from autograder.authoring.assign import COURSE_WHEEL_DIR, course_settings, wheel_name

SITE = ROOT / "_build" / "html"
NOTEBOOK = ROOT / "notebooks" / "01_ml_lifecycle.ipynb"

# not in the "site" xdist group: it serves the site itself and drives no browser, so its
# installs (~90 s) run on the other worker while the browser tests hold theirs


def test_setup_cell_names_the_site_wheel_and_no_git_tag():
    from autograder.authoring.assign import LITE_SETUP_CELL, SETUP_CELL, pip_spec, wheel_url

    site = course_settings()["site"]
    assert site.startswith("https://"), "_config.yml: html: baseurl: must be the site's public URL"
    assert wheel_url() == f"{site}/{COURSE_WHEEL_DIR}/{wheel_name()}"
    cell = SETUP_CELL.format(pip_spec=pip_spec(), name="01_ml_lifecycle")
    assert f'%pip install --quiet "mlsys-lab[student] @ {wheel_url()}"' in cell
    assert "git+" not in cell
    lite = LITE_SETUP_CELL.format(name="01_ml_lifecycle")
    assert "--no-deps mlsys-lab" in lite and 'start("01_ml_lifecycle", code=PERSONAL_CODE)' in lite


class _LoggingHandler(SimpleHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, format, *args):
        self.requests.append(self.path)


def _cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.slow
def test_setup_cell_installs_from_the_site_in_a_fresh_environment(tmp_path):
    if not (SITE / COURSE_WHEEL_DIR / wheel_name()).exists():
        pytest.fail("the site is not built: run `make book` (make test does it for you)")
    site = course_settings()["site"]
    cells = _cells(NOTEBOOK)
    setup = next(c for c in cells if c.startswith("# Setup: run this cell first"))
    assert f"{site}/{COURSE_WHEEL_DIR}/{wheel_name()}" in setup, "the setup cell does not install from the site"
    assert "git+" not in setup
    answer_index = next(i for i, c in enumerate(cells) if c.endswith("_answer = ..."))
    answer, check = cells[answer_index], cells[answer_index + 1]
    assert check.startswith("grader.check(")
    question = answer.split("_answer")[0]

    handler = partial(_LoggingHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local_site = f"http://127.0.0.1:{server.server_port}"
    try:
        env_dir = tmp_path / "student-venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        python = env_dir / "bin" / "python"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
        env.update(
            PIP_CONSTRAINT=str(ROOT / "constraints.txt"),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            MPLBACKEND="Agg",
            PATH=f"{env_dir / 'bin'}:{env.get('PATH', '')}",
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "ipython"],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
        script = tmp_path / "student.ipy"
        script.write_text(
            "\n\n".join(
                [
                    setup.replace(site, local_site),
                    "import mlsys_lab; print('MLSYS_LAB_FROM', mlsys_lab.__file__)",
                    answer,
                    # a notebook shows a cell's last value; a script must print it
                    f"print('CHECK_UNANSWERED', repr({check.strip()}))",
                    f'{question}_answer = "A"',
                    f"print('CHECK_ANSWERED', repr({check.strip()}))",
                ]
            )
            + "\n",
            encoding="utf-8",
        )
        run = subprocess.run(
            [str(env_dir / "bin" / "ipython"), "--no-banner", "--colors=NoColor", str(script)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        server.shutdown()
    # pip's notes about index locations are noise here
    out = "\n".join(line for line in (run.stdout + run.stderr).splitlines() if not line.startswith("WARNING: Location"))
    assert run.returncode == 0, out[-3000:]
    assert "Traceback" not in out, out[-3000:]
    location = out.split("MLSYS_LAB_FROM", 1)[1].split()[0]
    assert location.startswith(str(env_dir)), f"mlsys_lab came from {location}, not the fresh environment"
    assert f"/{COURSE_WHEEL_DIR}/{wheel_name()}" in _LoggingHandler.requests, "the wheel was not fetched from the site"
    after_setup = out.split("MLSYS_LAB_FROM", 1)[1]
    assert "CHECK_UNANSWERED" in after_setup and "CHECK_ANSWERED" in after_setup, after_setup[-2000:]
    unanswered = after_setup.split("CHECK_UNANSWERED", 1)[1].split("CHECK_ANSWERED", 1)[0]
    answered = after_setup.split("CHECK_ANSWERED", 1)[1]
    # the first public check answers with its message, about the question, both times
    assert question in unanswered and question in answered, after_setup[-2000:]
    assert unanswered.strip() != answered.strip()
    print(after_setup[-1500:])
