"""Check that the HTML and the PDF number chapters and equations alike.

The PDF's numbers are read from LaTeX's own record of them (the ``.aux`` file of the final run);
the HTML's from the pages (``span.eqno`` beside each equation, the section number of each
chapter title).

Usage: ``python -m build_scripts.check_numbers build/html build/latex/paper-breakdowns.aux``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from build_scripts.check_html import _soup, equation_numbers, pages

_GROUP = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"  # a brace group, nesting up to three levels
NEWLABEL = re.compile(
    r"^\\newlabel\{(?P<key>[^}]*)\}\{\{(?P<number>[^}]*)\}" + _GROUP + _GROUP + r"\{(?P<anchor>[^}]*)\}", re.M
)


def pdf_labels(aux: Path) -> dict[str, str]:
    """key -> number; a label in an unnumbered chapter (anchor ``chapter*.N``) has no number."""
    return {
        m.group("key"): "" if m.group("anchor").startswith("chapter*") else m.group("number")
        for m in NEWLABEL.finditer(aux.read_text(encoding="latin-1"))
    }


def pdf_equation_numbers(aux: Path) -> dict[str, str]:
    """label -> number, from ``\\newlabel{equation:<doc>:<label>}{{<number>}...}``."""
    return {key.rsplit(":", 1)[1]: number for key, number in pdf_labels(aux).items() if key.startswith("equation:")}


def pdf_chapter_numbers(aux: Path) -> dict[str, str]:
    """docname -> chapter number ('' when unnumbered), from ``\\newlabel{<doc>::doc}``."""
    return {key[: -len("::doc")]: number for key, number in pdf_labels(aux).items() if key.endswith("::doc")}


def html_chapter_numbers(root: Path) -> dict[str, str]:
    numbers = {}
    for page in pages(root):
        h1 = _soup(page).select_one("article h1")
        if h1 is None:
            continue
        number = h1.find("span", class_="section-number")
        docname = str(page.relative_to(root).with_suffix(""))
        numbers[docname] = number.get_text().strip().rstrip(".") if number else ""
    return numbers


def compare(html_root: Path, aux: Path) -> list[str]:
    problems = []
    html_eq, pdf_eq = equation_numbers(html_root), pdf_equation_numbers(aux)
    for label in sorted(set(html_eq) | set(pdf_eq)):
        h, p = html_eq.get(label), pdf_eq.get(label)
        if h != p:
            problems.append(f"equation {label}: HTML ({h}) but PDF ({p})")
    html_ch, pdf_ch = html_chapter_numbers(html_root), pdf_chapter_numbers(aux)
    for doc in sorted(set(pdf_ch) & set(html_ch)):
        if html_ch[doc] != pdf_ch[doc]:
            problems.append(f"chapter {doc}: HTML {html_ch[doc]!r} but PDF {pdf_ch[doc]!r}")
    return problems


if __name__ == "__main__":
    found = compare(Path(sys.argv[1]), Path(sys.argv[2]))
    for line in found:
        print(line, file=sys.stderr)
    sys.exit(1 if found else 0)
