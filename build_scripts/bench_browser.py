"""Time from navigation to typeset math of one page, in headless Chromium (Playwright).

The page is served from a local HTTP server and opened in a fresh browser context each time (no
cache). Times are milliseconds since navigation started (the page's Navigation Timing), reported
in seconds:

``paint``   first contentful paint: the first screen, its math typeset (the math is in the HTML);
``parsed``  the document parsed (``domInteractive``): every formula of the page is in it, styled by
            the stylesheets, which block rendering;
``dom``     DOMContentLoaded: the deferred scripts (the theme's, the previews' data) have run too;
``load``    the load event: figures, fonts and scripts loaded too;
``mathjax`` for a page that typesets in the browser, when ``MathJax.startup.promise`` settles.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from build_scripts.local_site import launch, serve

#: The moments of a page load that are measured, and how a report names them.
MILESTONES = {"paint": "first paint, math typeset", "parsed": "every formula in the document",
              "dom": "DOMContentLoaded (deferred scripts run)",
              "load": "load event", "mathjax": "MathJax done"}

TIMING = """async () => {
  const found = {};
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    found.mathjax = performance.now();
  }
  await document.fonts.ready;
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByType("paint").find(p => p.name === "first-contentful-paint");
  found.paint = paint ? paint.startTime : null;
  found.parsed = nav.domInteractive;
  found.dom = nav.domContentLoadedEventEnd;
  found.load = nav.loadEventEnd;
  return found;
}"""


def time_to_math(site: Path, page: str, runs: int) -> dict:
    """Each milestone of ``page`` (a path in ``site``) over ``runs`` loads: the seconds of every
    run and their median."""
    from playwright.sync_api import sync_playwright

    samples: list[dict] = []
    with serve(site) as url, sync_playwright() as p:
        browser = launch(p)
        try:
            for _ in range(runs):
                context = browser.new_context()
                tab = context.new_page()
                tab.goto(f"{url}/{page}", wait_until="load", timeout=120_000)
                samples.append(tab.evaluate(TIMING))
                context.close()
        finally:
            browser.close()
    found: dict = {"page": page, "bytes": (site / page).stat().st_size}
    for name in MILESTONES:
        walls = [round(s[name] / 1000, 3) for s in samples if s.get(name) is not None]
        if walls:
            found[name] = {"walls": walls, "median": round(statistics.median(walls), 3)}
    return found
