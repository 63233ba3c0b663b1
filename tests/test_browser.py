"""What a reader does in a browser: hover a reference to an equation and see the equation; copy an
equation's citation in one click. Headless Debian chromium, driven by Playwright."""

import functools
import http.server
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make test installs it)")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(book):
    handler = functools.partial(QuietHandler, directory=str(book["html"].outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def open_page(browser, url, requests):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    return page


def test_hovering_an_equation_reference_previews_the_equation(site, browser):
    requests = []
    page = open_page(browser, f"{site}/papers/flashattention.html", requests)
    ref = page.locator('article a.reference[href*="#equation-transformer-attention"]').first
    ref.hover()
    tip = page.locator(".tippy-box").first
    tip.wait_for(state="visible", timeout=10000)
    assert tip.locator("mjx-container").count() >= 1, tip.inner_html()[:500]
    assert all(u.startswith(site) for u in requests), [u for u in requests if not u.startswith(site)]


def test_an_equation_offers_its_citation_for_copying(site, browser):
    requests = []
    page = open_page(browser, f"{site}/papers/transformer.html", requests)
    button = page.locator("#equation-transformer-attention button.eq-copy-label")
    assert button.get_attribute("data-cite") == "{eq}`transformer-attention`"
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == "{eq}`transformer-attention`"
