"""HTML pages that obey only the instructor: every page the course's tools write uses this.

The grading pages of written answers, the class report and any feedback page show text
students wrote. Two rules keep that text from acting on the instructor's browser:

* **a Content-Security-Policy in the page itself** (:func:`csp_meta`): nothing is loaded from
  anywhere (``default-src 'none'``), images only from ``data:`` URIs inside the page, styles
  only inline, and scripts only those whose SHA-256 the page lists, i.e. its own;
* **student text is inert** (:func:`inert_markdown`): markdown without raw HTML, images, links
  or autolinks, so ``![x](http://...)``, ``<img src=...>`` and ``[a](http://...)`` are shown
  as the characters the student typed.
"""

from __future__ import annotations

import base64
import hashlib
import html
from pathlib import Path


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script (its text between the tags)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def csp(scripts: tuple[str, ...] = ()) -> str:
    """The policy of a page whose only scripts are ``scripts``."""
    allowed = " ".join(script_hash(s) for s in scripts) or "'none'"
    return f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src {allowed}; base-uri 'none'; form-action 'none'"


def csp_meta(scripts: tuple[str, ...] = ()) -> str:
    """The ``<meta http-equiv>`` tag; it must come first in ``<head>``, before any content."""
    return f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp(scripts))}">'


def inert_markdown(text: str) -> str:
    """A student's markdown as HTML that loads nothing and links nowhere."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # markdown-it-py comes with jupytext; plain text if it is absent
        return f'<div class="plain">{html.escape(text)}</div>'
    renderer = MarkdownIt("commonmark", {"html": False}).disable(["image", "link", "autolink", "reference"])
    return renderer.render(text)


def data_uri(path: Path, mime: str = "image/png") -> str:
    """A file as a ``data:`` URI, so a page shows it without loading anything."""
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"
