"""Gates 6 and 7, and the checks themselves: each is shown failing on a deliberately broken
copy of the small fixture book, with a message that names the file and line, and a failed build
leaves the sources as they were."""

import re
import shutil
import subprocess

import pytest

from build_scripts import check_html, check_numbers
from conftest import append, assert_names, build, failing_build, latexpdf, lines_of, tree_digest

CHAPTER = "source/papers/transformer.md"


def test_fixture_book_builds_cleanly(minibook):
    html = build(minibook, "html", minibook.parent / "html")
    assert html.returncode == 0, html.output[-3000:]
    assert check_html.main(html.outdir) == 0
    latex = build(minibook, "latex", minibook.parent / "latex")
    assert latex.returncode == 0, latex.output[-3000:]
    pdf = latexpdf(latex.outdir, minibook / "source")
    assert pdf.returncode == 0, pdf.output[-3000:]
    assert check_numbers.compare(html.outdir, latex.outdir / "paper-breakdowns.aux") == []
    # bold Greek (\bm{\Lambda}, \bm{\mu} on the notation page) is typeset in a bold math font
    fonts = subprocess.run(["pdffonts", str(latex.outdir / "paper-breakdowns.pdf")], capture_output=True, text=True).stdout
    assert "CMMIB10" in fonts.upper(), fonts


def test_broken_equation_reference(minibook):
    append(minibook, CHAPTER, "\nSee {eq}`transformer-nonexistent`.\n")
    assert_names(failing_build(minibook), CHAPTER, lines_of(minibook, CHAPTER), "transformer-nonexistent")


def test_broken_citation(minibook):
    append(minibook, CHAPTER, "\nAs shown by {cite:p}`nosuchkey2020`.\n")
    assert_names(failing_build(minibook), CHAPTER, lines_of(minibook, CHAPTER), "nosuchkey2020")


def test_duplicate_equation_label(minibook):
    append(minibook, CHAPTER, "\n```{math}\n:label: transformer-attention\n:desc: Again.\n\nx = y\n```\n")
    assert_names(failing_build(minibook), CHAPTER, None, "duplicate label.*transformer-attention")


def test_undefined_latex_macro(minibook):
    append(minibook, CHAPTER, "\n```{math}\n:label: transformer-broken\n:desc: Broken.\n\nx = \\notamacro{y}\n```\n")
    before = tree_digest(minibook / "source", minibook / "bib")
    latex = build(minibook, "latex", minibook.parent / "latex")
    assert latex.returncode == 0, latex.output[-3000:]  # Sphinx itself cannot see it ...
    pdf = latexpdf(latex.outdir, minibook / "source")  # ... LaTeX can, and says where it came from
    assert pdf.returncode != 0
    assert_names(pdf.output, CHAPTER, lines_of(minibook, CHAPTER) - 1, r"Undefined control sequence")
    assert tree_digest(minibook / "source", minibook / "bib") == before


def test_a_failed_pdf_build_keeps_the_last_good_pdf(minibook):
    latex = build(minibook, "latex", minibook.parent / "latex")
    assert latexpdf(latex.outdir, minibook / "source").returncode == 0
    pdf = latex.outdir / "paper-breakdowns.pdf"
    good = pdf.read_bytes()
    append(minibook, CHAPTER, "\n```{math}\n:label: transformer-broken\n:desc: Broken.\n\nx = \\notamacro{y}\n```\n")
    assert build(minibook, "latex", latex.outdir).returncode == 0
    assert latexpdf(latex.outdir, minibook / "source").returncode != 0
    assert pdf.read_bytes() == good


def test_unresolved_reference_in_the_pdf(minibook):
    """A reference that only LaTeX resolves, and cannot: LaTeX merely warns; latexpdf fails."""
    append(minibook, CHAPTER, "\n```{raw} latex\nSee \\ref{nowhere}.\n```\n")
    latex = build(minibook, "latex", minibook.parent / "latex")
    pdf = latexpdf(latex.outdir, minibook / "source")
    assert pdf.returncode != 0
    assert "undefined" in pdf.output


def test_html_checks_catch_broken_output(minibook):
    append(minibook, CHAPTER, "\nSee {eq}`transformer-nonexistent` and {doc}`/papers/nothing`.\n")
    html = build(minibook, "html", minibook.parent / "html", strict=False)
    assert check_html.check_unresolved(html.outdir)
    # remove an equation's anchor: links to it and equation references must fail
    softmax = html.outdir / "topics" / "softmax.html"
    softmax.write_text(softmax.read_text(encoding="utf-8").replace('id="equation-softmax-def"', 'id="gone"'))
    check_html._soup.cache_clear()
    assert any("equation-softmax-def" in p for p in check_html.check_links(html.outdir))
    assert any("softmax-def" in p or "no equation" in p for p in check_html.check_equation_refs(html.outdir))
    # a page that loads MathJax from a CDN
    page = html.outdir / "preface.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</head>", '<script src="https://cdn.example/mathjax.js"></script></head>'))
    check_html._soup.cache_clear()
    assert check_html.check_offline(html.outdir)
    # a formula left as its placeholder, in a page and in the previews' data
    assert check_html.check_math_slots(html.outdir) == []
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<mjx-slot>0123abcd</mjx-slot></article>", 1))
    data = next((html.outdir / "_static" / "tippy").rglob("*.js"))
    data.write_text(data.read_text(encoding="utf-8") + '\n// "<mjx-slot>0123abcd</mjx-slot>"\n')
    assert sorted(p.split(":")[0] for p in check_html.check_math_slots(html.outdir)) == sorted(
        ["preface.html", str(data.relative_to(html.outdir))]
    )
    # a glyph whose rule is missing from the math's stylesheet (the square root of the softmax's scale)
    assert check_html.check_math_glyphs(html.outdir) == []
    css = html.outdir / "_static" / "math" / "math.css"
    sheet = css.read_text(encoding="utf-8")
    assert "mjx-c.mjx-c221A::before" in sheet
    css.write_text(re.sub(r"mjx-c\.mjx-c221A::before\s*\{[^}]*\}", "", sheet), encoding="utf-8")
    assert any("transformer.html" in p and "mjx-c221A" in p for p in check_html.check_math_glyphs(html.outdir))


def test_numbering_trap_is_caught(minibook):
    """Two numbered toctrees restart the HTML's chapter numbers without sphinx-multitoc-numbering."""
    (minibook / "conf.py").write_text(
        (minibook / "conf.py").read_text() + '\nextensions = [e for e in extensions if e != "sphinx_multitoc_numbering"]\n'
    )
    html = build(minibook, "html", minibook.parent / "html")
    latex = build(minibook, "latex", minibook.parent / "latex")
    assert latexpdf(latex.outdir, minibook / "source").returncode == 0
    problems = check_numbers.compare(html.outdir, latex.outdir / "paper-breakdowns.aux")
    assert "equation softmax-def: HTML (1.3) but PDF (3.1)" in problems


@pytest.mark.parametrize(
    "text, message",
    [
        ("\n```{math}\nx = 1\n```\n", "display equation without a label"),
        ("\n$$x = 1$$\n", "display equation without a label"),
        ("\n```{math}\n:label: softmax-stolen\n:desc: Wrong prefix.\n\nx = 1\n```\n", "lacks this page's prefix"),
        ("\n```{math}\n:label: transformer-nodesc\n\nx = 1\n```\n", "has no :desc:"),
        ("\n```{math}\n:label: transformer-unknown\n:desc: d.\n:topics: nosuchtopic\n\nx = 1\n```\n", "names topic 'nosuchtopic'"),
        ("\n```{math}\n:label: transformer-greek\n:desc: d.\n\nx = \u03b1\n```\n", "non-ASCII characters in math"),
        ("\n```{math}\n:label: transformer-tag\n:desc: d.\n\nx = 1 \\tag{9}\n```\n", "label or .tag inside math"),
    ],
)
def test_equation_authoring_checks(minibook, text, message):
    append(minibook, CHAPTER, text)
    assert_names(failing_build(minibook), CHAPTER, None, message)


def test_prose_hidden_after_an_annotation(minibook):
    append(minibook, CHAPTER, "\nA claim.\n% checked: Sec. 2 (arXiv v5) The model then attends to every position.\n")
    assert_names(failing_build(minibook), CHAPTER, lines_of(minibook, CHAPTER), "prose after a % annotation is hidden")


def test_unused_topic_page(minibook):
    shutil.copy(minibook / "source/topics/softmax.md", minibook / "source/topics/orphan.md")
    (minibook / "source/topics/orphan.md").write_text("# Orphan\n\nNo equation names this page.\n")
    assert_names(failing_build(minibook), "source/topics/orphan.md", 1, "used by no equation")
