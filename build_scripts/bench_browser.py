"""Time from navigation to fully typeset math of one page, in headless Chromium (Playwright).

The page is served from a local HTTP server and opened in a fresh browser context each time (no
cache). When the page loads MathJax, the time is taken when ``MathJax.startup.promise`` settles
(typesetting done); otherwise, math prerendered at build time, at the load event. Times are
``performance.now()`` in the page: milliseconds since navigation started.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

UNTIL_TYPESET = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    return {mathjax: true, ms: performance.now()};
  }
  const nav = performance.getEntriesByType("navigation")[0];
  return {mathjax: false, ms: nav ? nav.loadEventEnd : performance.now()};
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def time_to_math(site: Path, page: str, runs: int) -> dict:
    """Seconds from navigation to typeset math of ``page`` (a path in ``site``), ``runs`` times."""
    from playwright.sync_api import sync_playwright

    times, mathjax = [], None
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for _ in range(runs):
                context = browser.new_context()
                tab = context.new_page()
                tab.goto(f"{url}/{page}", wait_until="load", timeout=120_000)
                result = tab.evaluate(UNTIL_TYPESET)
                times.append(result["ms"] / 1000)
                mathjax = result["mathjax"]
                context.close()
        finally:
            browser.close()
    return {"page": page, "mathjax": mathjax, "walls": [round(t, 3) for t in times]}
