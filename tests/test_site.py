"""The site as a reader meets it, page by page, in headless Chromium: nothing loaded from another
host, math typeset without an error and every display equation of the source shown, no WCAG 2 A/AA
violation (axe-core); the sidebar numbered as the PDF; search; links that land; the PDF download;
solutions folded until opened."""

from __future__ import annotations

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, launch, needs_chromium
from test_browser import MATH_ERRORS

pytestmark = needs_chromium

AXE = ROOT / "build_scripts" / "js" / "node_modules" / "axe-core" / "axe.min.js"
DISPLAY_MATH = re.compile(r"^(`{3,}|:{3,}|~{3,})\{math\}", re.M)
SHOWN_DISPLAYS = "() => document.querySelectorAll('div.math mjx-container[display=\"true\"]').length"
# axe-core judges what is laid out: sections that the site lays out only when scrolled to are laid
# out first (what the theme decided at load, such as which tables take keyboard focus, stays).
ALL_LAID_OUT = ".bd-article section { content-visibility: visible !important; }"
# Icons are drawn by the theme's Font Awesome web fonts (build_scripts/templates/layout.html drops
# its script): every icon must have a glyph, and every icon font the page asked for must have loaded.
ICON_PROBLEMS = """async () => {
  await document.fonts.ready;
  const bad = [];
  for (const el of document.querySelectorAll(".fa-solid, .fa-regular, .fa-brands, .fas, .far, .fab")) {
    const glyph = getComputedStyle(el, "::before").content;
    if (!glyph || glyph === "none" || glyph === "normal" || glyph === '""')
      bad.push("no glyph: " + el.className);
  }
  for (const face of document.fonts)
    if (/Font Awesome/.test(face.family) && face.status === "error") bad.push("font failed: " + face.family);
  const icons = document.querySelectorAll(".fa-solid, .fas").length;
  const loaded = [...document.fonts].some(f => /Font Awesome/.test(f.family) && f.status === "loaded");
  if (icons && !loaded) bad.push(icons + " icons, but no icon font loaded");
  return bad;
}"""
# Each character of the typeset math is drawn by a rule of _static/math/math.css, which holds only the
# characters the book uses (build_scripts/typeset_math.py): every one must have its glyph.
GLYPH_PROBLEMS = """() => {
  const missing = {};
  for (const el of document.querySelectorAll("mjx-c")) {
    const glyph = getComputedStyle(el, "::before").content;
    if (!glyph || glyph === "none" || glyph === "normal") {
      const name = el.className || "in " + el.parentElement.tagName.toLowerCase();
      missing[name] = (missing[name] || 0) + 1;
    }
  }
  return Object.entries(missing).map(([name, n]) => "no glyph for math character " + name + " (" + n + " times)");
}"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
  return result.violations.map(v => v.id + " (" + v.impact + "): " + v.nodes.length + " elements, e.g. "
                                   + v.nodes[0].target.join(" ") + ": " + v.help);
}"""


def site_pages(outdir: Path) -> list[str]:
    return sorted(p.relative_to(outdir).as_posix() for p in outdir.rglob("*.html") if not p.relative_to(outdir).as_posix().startswith("_"))


#: Pages surveyed at a time: one browser tab each, so that both cores of a small machine work.
TABS = 2


async def _survey(site: str, relpaths: list[str]) -> dict[str, dict]:
    from playwright.async_api import async_playwright

    host = urlparse(site).netloc
    todo = list(relpaths)
    found: dict[str, dict] = {}
    loaded: set[str] = set()

    async def tab(browser):
        context = await browser.new_context()
        outside: list[str] = []
        broken: list[str] = []

        async def route(route):
            if urlparse(route.request.url).netloc == host:
                await route.continue_()
            else:
                outside.append(route.request.url)
                await route.abort()

        def response(response):
            if urlparse(response.url).netloc == host:
                loaded.add(urlparse(response.url).path.lstrip("/"))
                if response.status >= 400:
                    broken.append(f"{response.status} {urlparse(response.url).path}")

        await context.route("**/*", route)
        page = await context.new_page()
        page.on("response", response)
        while todo:
            relpath = todo.pop(0)
            outside.clear()
            broken.clear()
            await page.goto(f"{site}/{relpath}", wait_until="load")
            # before the whole page is laid out: the icons are checked without that cost
            icons = await page.evaluate(ICON_PROBLEMS)
            glyphs = await page.evaluate(GLYPH_PROBLEMS)
            await page.add_script_tag(path=str(AXE))
            await page.add_style_tag(content=ALL_LAID_OUT)
            found[relpath] = {
                "outside": list(outside),
                "broken": list(broken),
                "math": await page.evaluate(MATH_ERRORS),
                "displays": await page.evaluate(SHOWN_DISPLAYS),
                "icons": icons,
                "glyphs": glyphs,
                "axe": await page.evaluate(AXE_RUN),
            }
        await context.close()

    async with async_playwright() as p:
        browser = await launch(p)
        try:
            await asyncio.gather(*(tab(browser) for _ in range(TABS)))
        finally:
            await browser.close()
    found["_loaded"] = loaded
    return found


@pytest.fixture(scope="module")
def survey(book, site) -> dict[str, dict]:
    """Every page opened once: what it requested outside localhost, its math problems, how many
    display equations it shows, and axe-core's WCAG 2 A/AA violations. Playwright's asynchronous
    API runs in a thread of its own, beside the synchronous one of the other tests."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _survey(site, site_pages(book["html"].outdir))).result()


def problems(survey, key) -> list[str]:
    return [f"{page}: {item}" for page, found in survey.items() if page != "_loaded" for item in found[key]]


def test_the_survey_opens_every_page(survey):
    assert {"index.html", "papers/transformer.html", "topics/attention.html", "search.html"} <= set(survey)


def test_no_page_requests_anything_outside_localhost(survey):
    assert problems(survey, "outside") == []


def test_no_page_requests_a_file_the_site_lacks(survey):
    assert problems(survey, "broken") == []


def test_static_holds_only_what_pages_load(book, survey):
    """Every file of _static/ is loaded by some page, or is named by a loaded stylesheet or script
    (fonts, icons fetched when needed), or is the license notice of a bundled script, or the
    equation registry (published for other tools)."""
    outdir = book["html"].outdir
    loaded = survey["_loaded"]
    css = "\n".join((outdir / p).read_text(encoding="utf-8", errors="replace") for p in loaded
                     if p.endswith((".css", ".js")) and (outdir / p).exists())
    unused = []
    for path in sorted((outdir / "_static").rglob("*")):
        rel = path.relative_to(outdir).as_posix()
        if rel == "_static/equations.json" or path.name.endswith(".LICENSE.txt"):
            continue
        if path.is_file() and rel not in loaded and path.name not in css:
            unused.append(rel)
    assert unused == [], f"{len(unused)} files in _static that no page loads: {unused[:20]}"
    assert not list((outdir / "_static").rglob("*.map"))


def pages_loading(outdir: Path, script: str) -> list[str]:
    return [page for page in site_pages(outdir) if script in (outdir / page).read_text(encoding="utf-8")]


def test_only_the_search_page_loads_the_search_index(book):
    """The index grows with the book; a page that does not search does not load it
    (build_scripts/templates/layout.html)."""
    assert [p for p in pages_loading(book["html"].outdir, "searchindex.js") if p != "search.html"] == []


def test_no_page_loads_font_awesomes_script(book):
    """The theme's stylesheet draws the icons; its script, which redraws them, is left out
    (build_scripts/templates/layout.html), and would come back unseen if the theme changed its tag."""
    assert pages_loading(book["html"].outdir, "fontawesome.js") == []


def test_no_page_shows_a_math_error_or_untypeset_math(survey):
    assert problems(survey, "math") == []


def test_each_page_shows_every_display_equation_of_its_source(survey):
    wrong = []
    for page, found in survey.items():
        if page == "_loaded":
            continue
        source = ROOT / "source" / page.replace(".html", ".md")
        expected = len(DISPLAY_MATH.findall(source.read_text(encoding="utf-8"))) if source.exists() else 0
        if found["displays"] != expected:
            wrong.append(f"{page}: shows {found['displays']} display equations, its source has {expected}")
    assert wrong == []
    assert survey["papers/transformer.html"]["displays"] > 0


def test_every_icon_is_drawn(survey):
    assert problems(survey, "icons") == []


def test_every_character_of_the_math_is_drawn(survey):
    assert problems(survey, "glyphs") == []


def test_no_page_has_a_wcag_2_a_or_aa_violation(survey):
    assert problems(survey, "axe") == []


# --- the sidebar, search, links ------------------------------------------------------------------


def pdf_chapters(book) -> tuple[list[str], list[tuple[str, str]]]:
    """The PDF's parts, and its numbered chapters as (number, title), from LaTeX's table of contents."""
    toc = (book["latex"].outdir / "paper-breakdowns.toc").read_text(encoding="latin-1")
    parts = re.findall(r"\\contentsline \{part\}\{\\numberline \{[IVX]+\}(.*?)\}\{", toc)
    parts = parts or re.findall(r"\\contentsline \{part\}\{[IVX]+\\hspace \{1em\}(.*?)\}\{", toc)
    chapters = re.findall(r"\\contentsline \{chapter\}\{\\numberline \{(\d+)\}(.*?)\}\{\d+\}", toc)
    return parts, chapters


def plain(title: str) -> str:
    title = title.replace(r"\sphinxhyphen {}", "-")
    return re.sub(r"[^a-z0-9]", "", re.sub(r"\\[a-zA-Z]+", "", title).lower())


def test_sidebar_lists_both_parts_in_order_numbered_as_the_pdf(book, site, browser):
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    captions = page.locator("nav.bd-links p.caption").all_inner_texts()
    entries = page.locator("nav.bd-links li.toctree-l1 > a").all_inner_texts()
    page.close()
    parts, chapters = pdf_chapters(book)
    assert [c.strip() for c in captions if c.strip() in ("Papers", "Machinery")] == ["Papers", "Machinery"]
    assert [p.strip() for p in parts] == ["Papers", "Machinery"], parts
    numbered = [re.match(r"(\d+)\.\s+(.*)", e.strip()) for e in entries]
    html = [(m[1], plain(m[2])) for m in numbered if m]
    assert html == [(n, plain(t)) for n, t in chapters], (html[:5], chapters[:5])
    assert len(html) >= 23 + 20


def unique_term(outdir: Path) -> tuple[str, str]:
    """A word of the search index found in exactly one chapter (and written so in its source)."""
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    docnames = index["docnames"]
    for term, docs in sorted(index["terms"].items()):
        docs = docs if isinstance(docs, list) else [docs]
        if len(docs) == 1 and docnames[docs[0]].startswith("papers/") and term.isalpha() and len(term) >= 9:
            source = (ROOT / "source" / f"{docnames[docs[0]]}.md").read_text(encoding="utf-8").lower()
            if re.search(rf"\b{term}\b", source):
                return term, docnames[docs[0]]
    raise AssertionError("no word of the search index is unique to one chapter")


def test_search_finds_a_word_of_exactly_one_chapter_and_links_to_it(book, site, browser):
    term, docname = unique_term(book["html"].outdir)
    page = browser.new_page()
    page.goto(f"{site}/search.html?q={term}")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15000)
    hrefs = [urlparse(h).path for h in results.evaluate_all("links => links.map(a => a.href)")]
    page.close()
    assert hrefs and all(h.endswith(f"/{docname}.html") for h in hrefs), (term, hrefs)


@pytest.mark.parametrize("selector", ['article a.reference[href*="#equation-"]', "article span.bibtex-citation a, article a[href*='bibliography.html#']"])
@pytest.mark.parametrize("chapter", ["papers/dpo.html", "papers/flashattention.html", "topics/attention.html"])
def test_references_land_on_their_target(site, browser, chapter, selector):
    page = browser.new_page()
    page.goto(f"{site}/{chapter}")
    link = page.locator(selector).first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state("load")
    target = urlparse(page.url).fragment
    assert target and target == href.split("#", 1)[1], (href, page.url)
    box = page.evaluate(f"() => {{ const r = document.getElementById({json.dumps(target)}).getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; }}")
    page.close()
    assert box[1] > 0 and box[0] < box[2], f"{href}: the target is not in view after following the link ({box})"


def test_every_page_links_the_pdf_and_the_link_downloads_it(book, site, browser):
    outdir = book["html"].outdir
    pdf = outdir / "paper-breakdowns.pdf"
    assert pdf.exists(), "the site has no copy of the PDF"
    page = browser.new_page()
    for relpath in ("index.html", "papers/transformer.html", "topics/attention.html"):
        page.goto(f"{site}/{relpath}")
        link = page.locator("a.download-pdf-link").first
        assert link.is_visible(), relpath
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.status == 200 and response.body()[:5] == b"%PDF-", relpath
    page.close()
    missing = [p for p in site_pages(outdir) if "download-pdf-link" not in (outdir / p).read_text(encoding="utf-8")]
    assert missing == [], f"pages without the Download PDF link: {missing}"


def test_a_solution_stays_folded_until_the_reader_opens_it(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/papers/transformer.html", wait_until="load")
    solution = page.locator("div.solution").first
    body = solution.locator("section#solution-content, section").first
    assert not body.is_visible(), "the solution shows before it is opened"
    solution.locator("button.toggle-button, .toggle-button").first.click()
    body.wait_for(state="visible", timeout=5000)
    page.close()


# Every search control a reader can see: the theme's search field, and its search icon on a phone.
VISIBLE_SEARCH = """() => [...document.querySelectorAll("button.search-button-field, button.search-button")]
  .filter(b => { const r = b.getBoundingClientRect(); return r.width > 0 && r.height > 0
                 && getComputedStyle(b).visibility !== "hidden"; }).length"""


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
@pytest.mark.parametrize("relpath", ["index.html", "papers/transformer.html"])
def test_a_page_offers_one_search_control(site, browser, relpath, viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(f"{site}/{relpath}", wait_until="load")
    count = page.evaluate(VISIBLE_SEARCH)
    page.close()
    assert count == 1, f"{relpath} shows {count} search controls at {viewport['width']} px"
