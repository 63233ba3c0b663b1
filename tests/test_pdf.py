"""Gate 3 and the book's shape in the PDF; gate 4: HTML and PDF number alike."""

import subprocess

from build_scripts import check_numbers


def pdf_text(book) -> str:
    pdf = book["latex"].outdir / "paper-breakdowns.pdf"
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_latex_builds_without_warnings(book):
    latex = book["latex"]
    assert latex.returncode == 0, latex.output[-5000:]
    assert "WARNING" not in latex.output, latex.output[-5000:]


def test_pdf_has_no_unresolved_reference(book):
    """latexpdf fails on undefined references/citations, multiply-defined labels, changed labels."""
    assert book["pdf"].returncode == 0, book["pdf"].output[-5000:]
    assert (book["latex"].outdir / "paper-breakdowns.pdf").exists()
    assert "??" not in pdf_text(book)


def test_pdf_is_shaped_as_a_book(book):
    tex = (book["latex"].outdir / "paper-breakdowns.tex").read_text(encoding="utf-8")
    assert r"\part{Papers}" in tex and r"\part{Machinery}" in tex
    assert tex.index(r"\part{Papers}") < tex.index(r"\part{Machinery}")
    text = pdf_text(book)
    assert "Contents" in text
    # the bibliography exactly once: no empty chapter before LaTeX's own
    toc = (book["latex"].outdir / "paper-breakdowns.toc").read_text(encoding="latin-1")
    assert toc.count("{Bibliography}") == 1, toc
    assert "{Index}" in toc and "{Equation index}" in toc


def test_equation_numbers_match_between_html_and_pdf(book):
    aux = book["latex"].outdir / "paper-breakdowns.aux"
    assert check_numbers.pdf_equation_numbers(aux), "the PDF records no equation"
    assert check_numbers.compare(book["html"].outdir, aux) == []
