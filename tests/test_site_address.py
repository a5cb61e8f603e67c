"""The site's own address is one setting (``_config.yml: html: baseurl``), and it is where a
notebook's setup cell fetches the course wheel (issue 22): a course that publishes the book
somewhere else (its own GitHub Pages, a university server) changes that line, runs
``make assign``, and its notebooks install the wheel from there.

The test serves the built site under another address, with a path prefix as a university
server would, points the setting there, and lets pip fetch the wheel the generated setup cell
names. The live mode needs no address at all: it installs the wheel by name from the site's own
JupyterLite index, relative to the page (``tests/test_live_site.py``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import ROOT

SITE = ROOT / "_build" / "html"
PREFIX = "courses/mlsys-elsewhere"


class _UnderPrefix(SimpleHTTPRequestHandler):
    """Serves the site at /courses/mlsys-elsewhere/ only, as another host would."""

    def translate_path(self, path):
        if not path.startswith(f"/{PREFIX}/"):
            return str(Path(self.directory) / "__not_here__")
        return super().translate_path(path[len(PREFIX) + 1 :])

    def log_message(self, *args):
        pass


@pytest.fixture
def elsewhere():
    if not (SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make book` (make test builds it first)")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_UnderPrefix, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/{PREFIX}/"
    server.shutdown()


def test_the_setup_cell_fetches_the_wheel_from_the_configured_site(elsewhere, monkeypatch, tmp_path):
    from autograder.authoring import assign

    settings = assign.course_settings()
    monkeypatch.setattr(assign, "course_settings", lambda: {**settings, "site": elsewhere.rstrip("/")})
    cell = assign._setup_cell("01_ml_lifecycle").source
    url = re.search(r'%pip install --quiet "mlsys-lab\[student\] @ (\S+)"', cell).group(1)
    assert url == f"{elsewhere}{assign.COURSE_WHEEL_DIR}/{assign.wheel_name()}"
    fetched = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(tmp_path), url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fetched.returncode == 0, fetched.stderr[-2000:]
    wheel = tmp_path / assign.wheel_name()
    assert wheel.read_bytes() == (SITE / assign.COURSE_WHEEL_DIR / assign.wheel_name()).read_bytes()


def test_the_committed_notebooks_name_the_configured_site():
    """One setting: every committed notebook's setup cell points at ``html: baseurl``."""
    import json

    from autograder.authoring import assign

    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        setup = next("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
        assert assign.wheel_url() in setup, path.name
