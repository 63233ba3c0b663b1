"""Time from navigation to fully typeset math of one page, in headless Chromium (Playwright).

The page is served from a local HTTP server and opened in a fresh browser context each time (no
cache). When the page loads MathJax, the time is taken when ``MathJax.startup.promise`` settles
(typesetting done); otherwise, math prerendered at build time, at the load event. Times are
``performance.now()`` in the page: milliseconds since navigation started.
"""

from __future__ import annotations

from pathlib import Path

from build_scripts.local_site import launch, serve

UNTIL_TYPESET = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    return {mathjax: true, ms: performance.now()};
  }
  const nav = performance.getEntriesByType("navigation")[0];
  return {mathjax: false, ms: nav ? nav.loadEventEnd : performance.now()};
}"""


def time_to_math(site: Path, page: str, runs: int) -> dict:
    """Seconds from navigation to typeset math of ``page`` (a path in ``site``), ``runs`` times."""
    from playwright.sync_api import sync_playwright

    times, mathjax = [], None
    with serve(site) as url, sync_playwright() as p:
        browser = launch(p)
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
