"""Gates 1 and 2: the HTML builds with zero warnings and every reference in it resolves."""

import json

from build_scripts import check_html


def test_html_builds_without_warnings(book):
    html = book["html"]
    assert html.returncode == 0, html.output[-5000:]
    assert "WARNING" not in html.output and "ERROR" not in html.output, html.output[-5000:]


def test_internal_links_and_anchors_resolve(book):
    assert check_html.check_links(book["html"].outdir) == []


def test_no_unresolved_reference_markup(book):
    assert check_html.check_unresolved(book["html"].outdir) == []


def test_equation_references_land_on_their_equation(book):
    root = book["html"].outdir
    assert check_html.equation_numbers(root), "the book shows no numbered equation"
    assert check_html.check_equation_refs(root) == []


def test_citations_are_resolved(book):
    assert check_html.check_citations(book["html"].outdir) == []


def test_site_works_offline(book):
    assert check_html.check_offline(book["html"].outdir) == []


def test_the_math_stylesheet_holds_the_rules_its_glyphs_need(book):
    """The stylesheet the pages load is MathJax's less the characters the book does not use, and
    still has a rule for every glyph of every page and preview."""
    root = book["html"].outdir
    mathjax = json.loads((root.parent / f"{root.name}-doctrees" / "typeset-math.json").read_text(encoding="utf-8"))["css"]
    served = (root / "_static" / "math" / "math.css").read_text(encoding="utf-8")
    assert len(served) < len(mathjax) / 2
    assert check_html.check_math_glyphs(root) == []


def test_every_formula_is_filled_in(book):
    assert check_html.check_math_slots(book["html"].outdir) == []
