"""Live mode, measured: per site calculator, the seconds from "Run live" to its first number, with a
cold browser cache and with a warm one, and from a slider key press to the changed number.

Serves ``_build/html`` (``make book``) on 127.0.0.1 and drives Debian's Chromium headless with
every other request refused, as for a reader whose network blocks Pyodide's CDN. Prints one row
per calculator; no pass/fail (issue 22's targets on 2 cores: warm <= 8 s, update <= 0.5 s).

    .venv/bin/python benchmarks/live_calculators.py [--only MODULE ...] [--site DIR]

The update is timed after the console has run all its cells (the redraw once the plot libraries
are refused is not a reader's move), from the key press to the first changed number. Every row
ends with the load average: the 2 cores may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tests"))

import live_console  # noqa: E402  (how a reader drives the console; shared with the tests)
from test_live_mode import CALCULATORS  # noqa: E402  (the one list of the site's calculators)

OUTPUTS = ".widget-output .jp-OutputArea-output"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _chapter(module: str, function: str) -> str:
    for master in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.md")):
        if f"ml.viz.{module}.{function}(" in master.read_text():
            return master.stem
    raise SystemExit(f"no chapter shows {module}.{function}")


def _run_live(context, base: str, module: str, function: str) -> tuple[float, float]:
    page = context.new_page()
    try:
        page.goto(f"{base}notebooks/{_chapter(module, function)}.html")
        cell = page.locator(".cell", has=page.locator(f"pre:has-text('{module}.{function}(')")).first
        cell.scroll_into_view_if_needed()
        start = time.perf_counter()
        cell.locator(".mlsys-go-live").click()
        frame_element = cell.locator("iframe.mlsys-live-console")
        frame_element.wait_for()
        frame = frame_element.element_handle().content_frame()
        frame.locator(OUTPUTS).first.wait_for(timeout=300_000)
        first = time.perf_counter() - start
        live_console.wait_settled(frame, 300_000)
        text = live_console.numbers(frame)
        handle = frame.locator(".noUi-handle").first
        readout = frame.locator(".widget-readout").first
        update = float("nan")
        for key in ("End", "Home"):
            before = readout.inner_text()
            pressed = time.perf_counter()
            handle.press(key)
            if readout.inner_text() == before:
                continue  # the slider is at that end already
            try:
                frame.wait_for_function(
                    "(old) => Array.from(document.querySelectorAll('.widget-output .jp-OutputArea-output'))"
                    ".map(e => e.innerText).join('\\n') !== old",
                    arg=text,
                    timeout=20_000,
                    polling=20,
                )
                update = time.perf_counter() - pressed
                break
            except Exception:  # noqa: BLE001 -- that key left the slider where it was
                continue
        return first, update
    finally:
        page.close()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="calculator modules to measure (default: all)")
    parser.add_argument("--site", type=Path, default=SITE, help="a built site (default: _build/html)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        raise SystemExit("build the site first: make book")
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    refused = []
    print(f"{'calculator':14s} {'cold (s)':>9s} {'warm (s)':>9s} {'update (s)':>11s}  load (1, 5, 15 min)")
    colds, warms, updates = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for module, function, _, _ in CALCULATORS:
            if args.only and module not in args.only:
                continue
            context = browser.new_context(viewport={"width": 1280, "height": 900})  # a cold cache

            def route(r):
                if r.request.url.startswith(base):
                    return r.continue_()
                refused.append(r.request.url)
                return r.abort()

            context.route("**/*", route)
            cold, _ = _run_live(context, base, module, function)
            warm, update = _run_live(context, base, module, function)  # same cache, warm
            context.close()
            colds.append(cold)
            warms.append(warm)
            updates.append(update)
            print(f"{module:14s} {cold:9.1f} {warm:9.1f} {update:11.2f}  {_load()}", flush=True)
        browser.close()
    server.shutdown()
    print(
        f"{'median':14s} {statistics.median(colds):9.1f} {statistics.median(warms):9.1f} {statistics.median(updates):11.2f}"
    )
    print(f"requests refused outside 127.0.0.1: {len(refused)} ({len({u.split('/')[2] for u in refused})} hosts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
