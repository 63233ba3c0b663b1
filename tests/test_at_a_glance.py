"""Each chapter opens with its "At a glance" box in both outputs (the sources are checked in
test_chapters.py): in the HTML, the first thing under the chapter's title, linking the chapter's
own key equations; in the PDF, the first thing of the chapter."""

import re
import subprocess

import pytest
from test_chapters import CHAPTERS
from test_front_page import opening


@pytest.mark.parametrize("slug", CHAPTERS)
def test_the_html_page_opens_with_the_box(book, slug):
    first = [child for child in opening(book["html"].outdir, slug).children if getattr(child, "name", None)][:2]
    assert first[0].name == "h1", first[0].name
    box = first[1]
    assert "at-a-glance" in box.get("class", []) and "admonition" in box.get("class", []), box.get("class")
    assert box.select_one(".admonition-title").get_text(strip=True) == "At a glance"
    targets = [a["href"] for a in box.select('a[href*="#equation-"]')]
    assert len(targets) >= 3, targets
    assert all(t.startswith(f"#equation-{slug}-") for t in targets), targets


def test_every_chapter_of_the_pdf_opens_with_the_box(book):
    tex = (book["latex"].outdir / "paper-breakdowns.tex").read_text(encoding="utf-8")
    for slug in CHAPTERS:
        label = re.escape(r"\label{\detokenize{papers/" + slug + "::doc}}")
        after = re.search(label + r"\s*(.*)", tex)
        assert after, f"{slug}: no chapter in the LaTeX"
        assert after[1].startswith(r"\begin{sphinxadmonition}{note}{At a glance}"), f"{slug}: {after[1][:80]}"
    pdf = book["latex"].outdir / "paper-breakdowns.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("At a glance") >= len(CHAPTERS)
