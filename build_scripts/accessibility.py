"""Markup fixes the site needs for WCAG 2 A/AA that no extension provides.

* docutils marks each bibliography entry ``role="doc-biblioentry"``, a role ARIA 1.2 deprecates;
  inside the citation list (``role="list"``) the entries become list items.
"""

from __future__ import annotations

from sphinx.application import Sphinx

DEPRECATED = ' role="doc-biblioentry"'


def _fix(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and DEPRECATED in body:
        context["body"] = body.replace(DEPRECATED, ' role="listitem"')


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _fix, priority=400)  # before sphinx-tippy (450) reads the body
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
