"""What a reader does in a browser: a math error is found with its page and label (every page of
the book is checked for one in test_site.py); hover a reference to an equation and see the
equation; copy an equation's citation in one click. Headless Debian chromium, driven by Playwright."""

import re
from pathlib import Path

import pytest

from conftest import build, needs_chromium, serve

pytestmark = needs_chromium


def open_page(browser, url, requests):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    return page


# Every math error in a page, with the equation's label (display math) or the words around it
# (inline math), and every formula left untypeset.
MATH_ERRORS = """() => {
  const where = (e) => {
    const eq = e.closest('[id^="equation-"]');
    return eq ? eq.id.slice("equation-".length)
              : "inline, in: " + (e.closest("p, li, td, dd") || e.parentElement).textContent.trim().slice(0, 80);
  };
  const errors = [...document.querySelectorAll("mjx-merror, .math-error")]
    .map(e => where(e) + ": " + (e.getAttribute("data-mjx-error") || e.textContent));
  const untypeset = [...document.querySelectorAll("span.math, div.math")]
    .filter(e => !e.querySelector("mjx-container, .math-error"))
    .map(e => where(e) + ": not typeset: " + e.textContent.trim().slice(0, 80));
  return errors.concat(untypeset);
}"""


def math_errors(browser, site: str, outdir: Path) -> list[str]:
    """Open every page of a built site and list each math error as "page: label: message"."""
    page = browser.new_page()
    problems = []
    for path in sorted(outdir.rglob("*.html")):
        relpath = path.relative_to(outdir).as_posix()
        if relpath.startswith("_"):
            continue
        page.goto(f"{site}/{relpath}", wait_until="load")
        problems += [f"{relpath}: {error}" for error in page.evaluate(MATH_ERRORS)]
    page.close()
    return problems


def test_a_math_error_is_caught_with_its_page_and_label(minibook, browser):
    chapter = minibook / "source/papers/transformer.md"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "\n```{math}\n:label: transformer-misplaced\n:desc: Broken.\n\na &= b\n```\n", encoding="utf-8")
    strict = build(minibook, "html", minibook.parent / "strict")
    assert strict.returncode != 0  # the build stops at the page and line ...
    assert re.search(r"transformer\.md:\d+: WARNING: MathJax cannot typeset this formula: Misplaced &", strict.output), strict.output[-3000:]
    html = build(minibook, "html", minibook.parent / "html", strict=False)
    with serve(html.outdir) as url:  # ... and, built anyway, the page shows it where the browser finds it
        problems = math_errors(browser, url, html.outdir)
    assert problems == ["papers/transformer.html: transformer-misplaced: Misplaced &"], problems


PREVIEWED = "[...document.querySelectorAll('article a')].filter(a => a._tippy).length"


def test_hovering_an_equation_reference_previews_the_equation(site, browser):
    """The preview is created when the link is first hovered (build_scripts/lazy_previews.py),
    none at page load."""
    requests = []
    page = open_page(browser, f"{site}/papers/flashattention.html", requests)
    assert page.evaluate(PREVIEWED) == 0, "previews were created at page load"
    ref = page.locator('article a.reference[href*="#equation-transformer-attention"]').first
    ref.hover()
    tip = page.locator(".tippy-box").first
    tip.wait_for(state="visible", timeout=10000)
    assert tip.locator("mjx-container").count() >= 1, tip.inner_html()[:500]
    assert page.evaluate(PREVIEWED) == 1
    assert all(u.startswith(site) for u in requests), [u for u in requests if not u.startswith(site)]


def test_a_focused_reference_shows_its_preview(site, browser):
    page = open_page(browser, f"{site}/papers/flashattention.html", [])
    page.focus('article a.reference[href*="#equation-transformer-attention"]')
    tip = page.locator(".tippy-box").first
    tip.wait_for(state="visible", timeout=10000)
    assert tip.locator("mjx-container").count() >= 1, tip.inner_html()[:500]


def test_an_equation_offers_its_citation_for_copying(site, browser):
    requests = []
    page = open_page(browser, f"{site}/papers/transformer.html", requests)
    button = page.locator("#equation-transformer-attention button.eq-copy-label")
    assert button.get_attribute("data-cite") == "{eq}`transformer-attention`"
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == "{eq}`transformer-attention`"
