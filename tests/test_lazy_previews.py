"""build_scripts/lazy_previews.py: sphinx-tippy's data file keeps its previews and gets a loader
that creates each one on first hover (the browser tests check it works in a page)."""

import pytest
from sphinx.errors import ExtensionError

from build_scripts import lazy_previews

DATA = 'selector_to_html = {"a[href=\\"#x\\"]": "<p>x</p>"}\nskip_classes = ["headerlink"]\n'
EAGER = DATA + lazy_previews.EAGER + "\n    for (const [select, tip_html] of Object.entries(selector_to_html)) {}\n};\n"
LOADER = lazy_previews.loader("article.bd-article", {"placement": "'auto-start'", "maxWidth": "600"})


def test_the_eager_loader_is_replaced_and_the_data_kept():
    lazy = lazy_previews.make_lazy(EAGER, LOADER, "x.js")
    assert lazy.startswith(DATA) and "window.onload" not in lazy
    assert 'tippy.delegate("article.bd-article"' in lazy and "placement: 'auto-start', maxWidth: 600" in lazy


def test_a_lazy_or_empty_file_is_left_as_it_is():
    lazy = lazy_previews.make_lazy(EAGER, LOADER, "x.js")
    assert lazy_previews.make_lazy(lazy, LOADER, "x.js") == lazy
    assert lazy_previews.make_lazy("", LOADER, "x.js") == ""


def test_an_unknown_loader_fails_naming_the_file():
    with pytest.raises(ExtensionError, match="papers/x.js"):
        lazy_previews.make_lazy(DATA + "document.addEventListener('DOMContentLoaded', f);\n", LOADER, "papers/x.js")
