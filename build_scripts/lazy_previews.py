"""Hover previews created when a reader first points at a reference, not all at page load.

sphinx-tippy writes, for each page, a data file that maps link selectors to preview HTML and, at
the load event, creates a tippy instance for every matching link: each instance parses its
preview into elements the reader may never see (on the heaviest chapter, 28,000 nodes and a tenth
of a second of script after load). Here the data file's loader is replaced by one tippy
``delegate`` on the article: an instance is created for a link, with its preview, the first time
the link is hovered or focused. Links and props are the same as sphinx-tippy's (its
``tippy_props``, ``tippy_anchor_parent_selector``, ``tippy_skip_anchor_classes``); the first
selector a link matches gives its preview, as the first instance created for it did.

A data file whose loader is not the one expected (another sphinx-tippy) fails the build.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

EAGER = "\nwindow.onload = function () {"  # how sphinx-tippy's loader starts
LAZY = "\nwindow.addEventListener(\"load\", function () {"

LOADER = """
window.addEventListener("load", function () {
    const selectors = Object.keys(selector_to_html);
    const kept = skip_classes.map(c => `:not(.${c})`).join("");
    tippy.delegate(%(parent)s, {
        target: selectors.map(s => s + kept).join(", "),
        content: link => selector_to_html[selectors.find(s => link.matches(s))],
        allowHTML: true,
        arrow: true,
        %(props)s,
    });
});
"""


def loader(parent: str, props: dict[str, str]) -> str:
    """The lazy loader, for sphinx-tippy's compiled props (JavaScript literals by name)."""
    return LOADER % {"parent": json.dumps(parent), "props": ", ".join(f"{k}: {v}" for k, v in props.items())}


def make_lazy(text: str, lazy_loader: str, where: str) -> str:
    """A data file with its eager loader replaced; unchanged if it has no previews or is lazy already."""
    if not text.strip() or LAZY in text:
        return text
    start = text.find(EAGER)
    if start < 0:
        raise ExtensionError(f"{where}: sphinx-tippy's preview loader is not the one lazy_previews replaces")
    return text[:start] + lazy_loader


def _rewrite(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from sphinx_tippy import get_tippy_config

    config = get_tippy_config(app)
    lazy_loader = loader(config.anchor_parent_selector or "body", config.props)
    for data in sorted((Path(app.outdir) / "_static" / "tippy").rglob("*.js")):
        text = data.read_text(encoding="utf-8")
        new = make_lazy(text, lazy_loader, str(data.relative_to(app.outdir)))
        if new != text:
            data.write_text(new, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _rewrite, priority=950)  # after sphinx-tippy (500) and the math (900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
