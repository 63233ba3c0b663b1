"""Check a built HTML site: every internal link and anchor resolves, no cross-reference is left
unresolved, every equation reference lands on the equation it names, no citation is empty or
"??", no page loads anything from another host, no formula is left as a placeholder, and every
glyph of the typeset math has its rule in the math's stylesheet.

Usage: ``python -m build_scripts.check_html build/html`` (exit status 1 on any problem).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}
BOOK_PDF = "paper-breakdowns.pdf"
EQREF = re.compile(r"^Eq\. \(([^)]*)\)$")
ROLE_MARKUP = re.compile(r"\{(eq|cite(:[a-z]+)?|doc|ref|numref|prf:ref|term)\}`")


def pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if not SKIP_DIRS & set(p.relative_to(root).parts))


@lru_cache(maxsize=None)
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@lru_cache(maxsize=None)
def _ids(path: Path) -> frozenset[str]:
    soup = _soup(path)
    return frozenset({t["id"] for t in soup.find_all(id=True)} | {t["name"] for t in soup.find_all("a", attrs={"name": True})})


def _main(soup: BeautifulSoup):
    return soup.find("article") or soup.body or soup


def check_links(root: Path) -> list[str]:
    """Internal links whose file or anchor does not exist."""
    problems = []
    for page in pages(root):
        for a in _soup(page).find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "//", "javascript:")):
                continue
            if parts.path.endswith(BOOK_PDF):  # copied in by make latexpdf; tests/test_site.py checks it
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(root)}: link {href!r}"
            if not target.exists():
                problems.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _ids(target):
                problems.append(f"{where}: no anchor #{parts.fragment} in {target.relative_to(root.resolve()) if target.is_relative_to(root.resolve()) else target}")
    return problems


def check_unresolved(root: Path) -> list[str]:
    """Cross-reference markup left unresolved: xref spans outside links, raw MyST roles, "??"."""
    problems = []
    for page in pages(root):
        main = _main(_soup(page))
        for span in main.find_all(class_="xref"):
            if span.find_parent("a") is None:
                problems.append(f"{page.relative_to(root)}: unresolved reference {span.get_text()!r}")
        for text in main.find_all(string=True):
            if text.find_parent(["code", "pre", "script", "style"]) is not None:
                continue
            if ROLE_MARKUP.search(text):
                problems.append(f"{page.relative_to(root)}: raw role markup {text.strip()[:60]!r}")
            if "??" in text:
                problems.append(f"{page.relative_to(root)}: '??' in {text.strip()[:60]!r}")
    return problems


def equation_numbers(root: Path) -> dict[str, str]:
    """label -> the number the HTML shows beside the equation, e.g. ``"7.3"``."""
    numbers = {}
    for page in pages(root):
        for div in _soup(page).select('div.math[id^="equation-"]'):
            eqno = div.find("span", class_="eqno")
            if eqno is not None:
                numbers[div["id"][len("equation-"):]] = eqno.get_text().strip().strip("()#").strip().rstrip(")")
    return numbers


def check_equation_refs(root: Path) -> list[str]:
    """Every "Eq. (n)" link points to an equation that exists and shows the number n."""
    problems = []
    numbers = equation_numbers(root)
    for page in pages(root):
        for a in _main(_soup(page)).find_all("a", href=True):
            match = EQREF.match(a.get_text().strip())
            if not match:
                continue
            fragment = urlsplit(a["href"]).fragment
            label = fragment[len("equation-"):] if fragment.startswith("equation-") else None
            if label is None or label not in numbers:
                problems.append(f"{page.relative_to(root)}: {a.get_text()!r} links to #{fragment}, which is no equation")
            elif numbers[label] != match.group(1):
                problems.append(f"{page.relative_to(root)}: {a.get_text()!r} links to {label}, numbered ({numbers[label]})")
    return problems


def check_citations(root: Path) -> list[str]:
    """No empty citation, and none that sphinxcontrib-bibtex could not resolve."""
    problems = []
    for page in pages(root):
        for cite in _main(_soup(page)).find_all(class_="bibtex-citation"):
            text = cite.get_text().strip()
            if not text or "?" in text or cite.find("a") is None:
                problems.append(f"{page.relative_to(root)}: bad citation {text!r}")
    return problems


REMOTE = re.compile(r"^(https?:)?//")


def check_offline(root: Path) -> list[str]:
    """Nothing is loaded from another host: scripts, styles, images, fonts; the math's fonts are the site's."""
    problems = []
    for page in pages(root):
        soup = _soup(page)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for t in soup.find_all(tag, attrs={attr: True}):
                if tag == "link" and not set(t.get("rel", [])) & {"stylesheet", "preload", "icon", "modulepreload"}:
                    continue
                if REMOTE.match(t[attr]):
                    problems.append(f"{page.relative_to(root)}: loads {t[attr]}")
    for css in (root / "_static").rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{css.relative_to(root)}: loads {url}")
    css = root / "_static" / "math" / "math.css"
    if not css.exists():
        problems.append("_static/math/math.css: the typeset math's stylesheet is missing")
    else:
        for url in set(re.findall(r"url\(\s*['\"]?([^)'\"]+)", css.read_text(encoding="utf-8"))):
            if not REMOTE.match(url) and not (css.parent / url).exists():
                problems.append(f"_static/math/math.css: font {url} is missing")
    return problems


def check_math_slots(root: Path) -> list[str]:
    """Every formula's placeholder was filled with its markup, in the pages and in the previews' data."""
    files = pages(root) + sorted((root / "_static" / "tippy").rglob("*.js"))
    return [f"{f.relative_to(root)}: a formula left as its placeholder" for f in files if "<mjx-slot>" in f.read_text(encoding="utf-8")]


#: An element of typeset math naming a character (``mjx-c1D45B``), and a stylesheet rule for one.
GLYPH = re.compile(r'<(mjx-[a-z-]+) (?:[^>]*? )?class="([^"]*\bmjx-c[0-9A-F]+\b[^"]*)"')
GLYPH_RULE = re.compile(r"(mjx-[a-z-]+)((?:\.[\w-]+)*\.mjx-c[0-9A-F]+(?:\.[\w-]+)*)[^,{]*[,{]")


def check_math_glyphs(root: Path) -> list[str]:
    """Every glyph of the math, in the pages and the previews' data, has a rule of the math's
    stylesheet for exactly its tag and classes (MathJax's stylesheet has one for each; a glyph
    without one shows as nothing, or in the wrong font)."""
    css = root / "_static" / "math" / "math.css"
    if not css.exists():
        return []  # check_offline reports it
    rules = {(tag, frozenset(classes.strip(".").split("."))) for tag, classes in GLYPH_RULE.findall(css.read_text(encoding="utf-8"))}
    problems = []
    for f in pages(root) + sorted((root / "_static" / "tippy").rglob("*.js")):
        text = f.read_text(encoding="utf-8").replace('\\"', '"')  # the previews' data is a JavaScript literal
        missing = sorted({f"<{tag} class={classes!r}>" for tag, classes in GLYPH.findall(text)
                          if (tag, frozenset(classes.split())) not in rules})
        if missing:
            problems.append(f"{f.relative_to(root)}: glyphs without a rule in _static/math/math.css: {', '.join(missing[:5])}"
                            + (f" and {len(missing) - 5} more" if len(missing) > 5 else ""))
    return problems


CHECKS = (check_links, check_unresolved, check_equation_refs, check_citations, check_offline, check_math_slots,
          check_math_glyphs)


def main(root: Path) -> int:
    problems = [p for check in CHECKS for p in check(root)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
