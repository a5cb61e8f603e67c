"""Sphinx extension: a figure's alt text reaches the HTML ``alt`` attribute.

``mlsys_lab.course.notebook.start()`` displays every Figure that carries alt text
(``mlsys_lab.viz.alt_text``) with output metadata ``{"image/png": {"alt": "..."}}``. myst-nb
1.4 reads only ``width`` and ``height`` from output metadata (``NbElementRenderer.render_image``)
and otherwise names the image by its hash, which screen readers then read out. This extension
lets it read ``alt`` too; a cell's own ``mystnb: image: alt:`` still wins.
"""

from __future__ import annotations


def _with_alt_text(render_image):
    def render(self, data):
        nodes = render_image(self, data)
        alt = data.output_metadata.get(data.mime_type, {}).get("alt")
        for node in nodes:
            if alt and "alt" not in node:
                node["alt"] = " ".join(str(alt).split())
        return nodes

    render.__wrapped__ = render_image
    return render


def setup(app):
    from myst_nb.core.render import NbElementRenderer

    if not hasattr(NbElementRenderer.render_image, "__wrapped__"):
        NbElementRenderer.render_image = _with_alt_text(NbElementRenderer.render_image)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
