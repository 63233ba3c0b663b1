"""The front page maps the book (build_scripts/front_page.py): one card per chapter, in the book's
order, with its number, title, year, one-line contribution and the Machinery pages its equations
name; and a map of papers against Machinery pages, SVG in the HTML and PDF in the PDF, with one dot
for each paper and page that the chapter's equations connect. What is expected is read from the
chapters' sources and from the built chapter pages, not from what the extension computes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT
from test_chapters import CHAPTERS

from build_scripts import check_html
from build_scripts.papers import PAPERS

TOPICS = re.compile(r"^:topics:\s*(?P<names>.+)$", re.M)
SVG = "{http://www.w3.org/2000/svg}"


def topics_named(chapter: Path) -> set[str]:
    """The Machinery pages that the ``:topics:`` of a chapter's equations name."""
    text = chapter.read_text(encoding="utf-8")
    return {name.strip() for m in TOPICS.finditer(text) for name in m.group("names").split(",") if name.strip()}


def cards(html: Path) -> list[dict]:
    """What each card on the front page shows."""
    found = []
    for card in check_html._soup(html / "index.html").select(".paper-card"):
        title = card.select_one(".sd-card-title a")
        found.append({
            "href": title["href"],
            "title": title.get_text(" ", strip=True),
            "year": card.select_one(".paper-year").get_text(strip=True),
            "text": card.select_one(".sd-card-text").get_text(" ", strip=True),
            "machinery": {a["href"] for a in card.select(".paper-machinery a")},
        })
    return found


def opening(html: Path, slug: str):
    """The opening of a chapter's page, from its title to its first section (parsed alone: the
    whole page is a megabyte of typeset math)."""
    text = (html / "papers" / f"{slug}.html").read_text(encoding="utf-8")
    start = text.index("<h1", text.index("<article"))
    end = text.find("<section", start)
    return BeautifulSoup(text[start:end if end > 0 else None], "html.parser")


def chapter_heading(html: Path, slug: str) -> str:
    """The chapter's number and title as its own page shows them."""
    h1 = opening(html, slug).select_one("h1")
    return re.sub(r"\s+", " ", h1.get_text(" ", strip=True).replace("#", "")).strip()


def map_dots(svg: Path) -> int:
    """The dots of the map: the markers of matplotlib's scatter collections."""
    root = ET.parse(svg).getroot()
    return sum(len(group.findall(f".//{SVG}use")) for group in root.iter(f"{SVG}g")
               if group.get("id", "").startswith("PathCollection"))


def test_one_card_per_chapter_in_the_books_order(book):
    html = book["html"].outdir
    shown, slugs = cards(html), CHAPTERS
    assert [c["href"] for c in shown] == [f"papers/{slug}.html" for slug in slugs]
    papers = {p.slug: p for p in PAPERS}
    for card, slug in zip(shown, slugs):
        assert card["title"] == chapter_heading(html, slug), card
        assert card["year"] == f"({papers[slug].year})", card
        assert card["text"] == papers[slug].contribution, card


def test_each_card_links_the_machinery_its_equations_name(book):
    for card, slug in zip(cards(book["html"].outdir), CHAPTERS):
        named = topics_named(ROOT / "source" / "papers" / f"{slug}.md")
        assert named, f"{slug}: no equation names a Machinery page"
        assert card["machinery"] == {f"topics/{t}.html" for t in named}, slug


def test_the_map_has_a_dot_for_each_paper_and_page_its_equations_connect(book):
    html, latex = book["html"].outdir, book["latex"].outdir
    image = check_html._soup(html / "index.html").select_one("figure.book-map img")
    svg = html / image["src"]
    assert svg.suffix == ".svg" and svg.exists(), image
    pairs = sum(len(topics_named(ROOT / "source" / "papers" / f"{slug}.md")) for slug in CHAPTERS)
    dots = map_dots(svg)
    assert dots == pairs, f"{dots} dots on the map for {pairs} pairs of a paper and a page its equations name"
    tex = (latex / "paper-breakdowns.tex").read_text(encoding="utf-8")
    assert r"\includegraphics[width=\linewidth]{book-map.pdf}" in tex
    assert (latex / "book-map.pdf").read_bytes().startswith(b"%PDF")
