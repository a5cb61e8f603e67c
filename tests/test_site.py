"""The published site, as a reader's browser sees it, and as a cheater would search it.

Reads the site in ``_build/html`` (``make book`` builds it; ``make test`` builds it first). The
browser tests drive Debian's Chromium headless through Playwright, against the site served on
127.0.0.1 by the test itself, with every request to another host refused: widgets and pages
must work with no network.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urljoin, urlparse

import pytest
from helpers import ROOT, secrets_of

from autograder.authoring.assign import masters

SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHAPTERS = [m.stem for m in masters()]
KNOWN_HARMLESS_CONSOLE = ("THEBE_JS_URL",)  # sphinx-thebe declares it twice on every page

pytestmark = pytest.mark.xdist_group("site")


def require_site() -> None:
    if not (SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make book` (make test does it for you)")


def site_pages() -> list[str]:
    """Every HTML page of the site, relative to its root, except Sphinx's redirect stub."""
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        relative = path.relative_to(SITE).as_posix()
        if relative.startswith(("_static/", "_sources/", "_images/", "lite/")):
            continue  # lite/ is the JupyterLite app, tested in test_live_site.py
        pages.append(relative)
    return pages


def visible_text(markup: str) -> str:
    """The text of an HTML page as a reader sees it (tags dropped, entities decoded)."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# leak test: no solution, hidden test or expected value anywhere in the site


def test_site_holds_no_solution_or_hidden_test(built_course):
    require_site()
    secrets = []
    for name in CHAPTERS:
        secrets += secrets_of(ROOT / "solutions" / f"{name}.md", built_course.dist / name / "tests")
    assert secrets
    haystack = []
    for path in SITE.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".txt", ".js", ".json", ".md", ".py"}:
            if "_static" in path.parts and path.suffix == ".js":
                continue  # third-party scripts
            raw = path.read_text(encoding="utf-8", errors="replace")
            haystack.append(" ".join(raw.split()))
            if path.suffix == ".html":
                haystack.append(visible_text(raw))
    text = "\n".join(haystack)
    leaked = [s for s in secrets if " ".join(s.split()) in text]
    assert not leaked, f"the site shows solutions or hidden checks: {leaked[:5]}"


def test_site_has_no_solution_pages():
    require_site()
    assert not list(SITE.rglob("solutions")), "the solutions/ folder reached the site"
    assert not list(SITE.rglob("*autograder*")), "autograder files reached the site"


# ---------------------------------------------------------------------------------------------
# browser tests


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url():
    require_site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    playwright_sync = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: run `make browser` (apt-get install chromium)")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class PageVisit:
    """Open one page with external requests refused; record errors and failed requests."""

    def __init__(
        self, browser, base: str, path: str, width: int = 1280, height: int = 900, color_scheme: str = "light"
    ):
        self.context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme)
        self.page = self.context.new_page()
        self.base = base
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", self._page_error)
        self.page.on("requestfailed", lambda req: self._failed(req.url, req.failure))
        self.page.on("response", lambda res: res.status >= 400 and self.failed.append(f"{res.status} {res.url}"))
        self.page.route("**/*", self._route)
        self.page.goto(urljoin(base, path), wait_until="load")
        self.page.wait_for_timeout(300)

    def _route(self, route):
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _console(self, message):
        if message.type == "error" and not any(k in message.text for k in KNOWN_HARMLESS_CONSOLE):
            self.console_errors.append(message.text)

    def _page_error(self, exc):
        if not any(k in str(exc) for k in KNOWN_HARMLESS_CONSOLE):
            self.console_errors.append(f"page error: {exc}")

    def _failed(self, url, failure):
        if url.startswith(self.base):
            self.failed.append(f"{failure} {url}")

    def close(self):
        self.context.close()


def broken_images(page) -> list[str]:
    return page.evaluate(
        "() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )


def broken_internal_links(page) -> list[str]:
    """Internal links whose target file, or target anchor, does not exist in the build.

    Links are resolved against the page the browser ended on (index.html redirects).
    """
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    broken = []
    page_path = unquote(urlparse(page.url).path).lstrip("/") or "index.html"
    base_dir = (SITE / page_path).parent
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.scheme or parsed.netloc or href.startswith(("mailto:", "javascript:")):
            continue
        target = (base_dir / unquote(parsed.path)).resolve() if parsed.path else (SITE / page_path)
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(href)
            continue
        if parsed.fragment and target.suffix == ".html":
            ids = set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8", errors="replace")))
            if unquote(parsed.fragment) not in ids:
                broken.append(href)
    return sorted(set(broken))


@pytest.mark.browser
def test_every_page_loads_cleanly(browser, site_url):
    pages = site_pages()
    assert len(pages) >= 10, f"expected the whole book, found {len(pages)} pages"
    problems = {}
    for path in pages:
        visit = PageVisit(browser, site_url, path)
        issues = visit.console_errors + visit.failed
        issues += [f"broken image {src}" for src in broken_images(visit.page)]
        issues += [f"broken link {href}" for href in broken_internal_links(visit.page)]
        if issues:
            problems[path] = issues
        visit.close()
    assert not problems, problems
    print(f"{len(pages)} pages checked")


@pytest.mark.browser
@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_page_shows_figures_widgets_and_colab_link(browser, site_url, name):
    visit = PageVisit(browser, site_url, f"notebooks/{name}.html")
    page = visit.page
    try:
        page.wait_for_selector(".widget-slider, .jupyter-widgets.widget-container, .widget-hslider", timeout=15000)
        figures = page.evaluate(
            "() => Array.from(document.querySelectorAll('.cell_output img, .output img'))"
            ".filter(i => i.naturalWidth > 0 && i.getBoundingClientRect().height > 0).length"
        )
        assert figures >= 1, f"{name}: no figure image is visible"
        widgets = page.evaluate(
            "() => Array.from(document.querySelectorAll('.widget-slider, .widget-hslider, .widget-dropdown, .widget-text'))"
            ".filter(w => w.getBoundingClientRect().height > 0).length"
        )
        assert widgets >= 1, f"{name}: no rendered widget is visible"
        colab = page.evaluate(
            "() => Array.from(document.querySelectorAll('a[href*=\"colab.research.google.com\"]')).map(a => a.href)"
        )
        assert colab, f"{name}: no Colab launch button"
        assert all(url.endswith(f"notebooks/{name}.ipynb") for url in colab), colab
        download = page.evaluate(
            "() => Array.from(document.querySelectorAll('a[href$=\".ipynb\"]')).map(a => a.getAttribute('href'))"
        )
        local = [d for d in download if not urlparse(d).netloc]
        assert local, f"{name}: no .ipynb download link"
        for href in local:
            assert (SITE / "notebooks" / unquote(href)).resolve().exists(), f"{name}: download {href} is missing"
        assert not visit.console_errors, visit.console_errors
    finally:
        visit.close()


@pytest.mark.browser
def test_search_finds_roofline(browser, site_url):
    visit = PageVisit(browser, site_url, "search.html?q=roofline")
    try:
        visit.page.wait_for_selector("#search-results ul.search li", timeout=15000)
        hits = visit.page.locator("#search-results ul.search li").count()
        assert hits >= 1
    finally:
        visit.close()


@pytest.mark.browser
def test_screenshots_for_review(browser, site_url):
    """Landing page and one chapter at desktop and phone widths, saved for a human to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = []
    for label, path in (("landing", "book/intro.html"), ("chapter", f"notebooks/{CHAPTERS[0]}.html")):
        for device, (width, height) in (("desktop", (1280, 900)), ("phone", (390, 844))):
            visit = PageVisit(browser, site_url, path, width, height)
            target = SCREENSHOTS / f"{label}-{device}.png"
            visit.page.screenshot(path=str(target), full_page=False)
            visit.close()
            shots.append(target)
    assert all(s.stat().st_size > 10_000 for s in shots)


# ---------------------------------------------------------------------------------------------
# accessibility

AXE = ROOT / "book" / "_vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_page_has_no_serious_accessibility_violation(browser, site_url, mode):
    """axe-core on every page, in the reader's light and dark preference (the theme follows it)."""
    problems = {}
    for path in site_pages():
        if path == "index.html":
            continue  # a redirect stub to book/intro.html
        visit = PageVisit(browser, site_url, path, color_scheme=mode)
        page = visit.page
        try:
            assert page.evaluate("() => document.documentElement.dataset.theme") == mode, path
            blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
            if blocking:
                problems[path] = blocking
        finally:
            visit.close()
    assert not problems, problems


def test_figures_have_alt_text_not_file_names():
    """Every figure of a chapter page says what it shows (mlsys_lab.viz.alt_text)."""
    require_site()
    missing = {}
    for name in CHAPTERS:
        markup = (SITE / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        for tag in re.findall(r"<img\b[^>]*>", markup):
            if "_images/" not in tag:
                continue
            alt = html.unescape((re.search(r'\balt="([^"]*)"', tag) or [None, ""])[1])
            if len(alt.split()) < 4 or re.fullmatch(r"[0-9a-f]{64}(\.\w+)?", alt):
                missing.setdefault(name, []).append(alt or "(none)")
    assert not missing, f"figures without real alt text: {missing}"


def test_alt_text_travels_in_output_metadata_even_after_matplotlib_inline():
    """What the site build reads: a Figure with alt text is displayed with {"image/png": {"alt"}},
    also after a notebook's own ``%matplotlib inline`` re-registers the PNG formatter."""
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure

    from mlsys_lab.course.notebook import show_alt_text
    from mlsys_lab.viz import alt_text

    shell = InteractiveShell.instance()
    try:
        show_alt_text()
        # what `%matplotlib inline` does to the display formatters
        from IPython.core.pylabtools import select_figure_formats

        select_figure_formats(shell, {"png"})
        fig = Figure()
        fig.subplots().plot([0, 1], [0, 1])
        data, metadata = shell.display_formatter.format(alt_text(fig, "A straight line rising from zero to one."))
        assert data["image/png"]
        assert metadata["image/png"]["alt"] == "A straight line rising from zero to one."
        untitled = Figure()
        untitled.subplots().set_xlabel("time (s)")
        _, metadata = shell.display_formatter.format(untitled)
        assert "time (s)" in metadata["image/png"]["alt"]  # the fallback reads the axes
    finally:
        InteractiveShell.clear_instance()
