"""Screenshots of the built site for reviewers: the front page, two chapters and a Machinery page,
at desktop and phone sizes, in headless Debian chromium (``make screenshots``).

    python -m build_scripts.screenshots build/html build/screenshots
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_scripts.local_site import launch, serve

PAGES = {"front": "index.html", "transformer": "papers/transformer.html", "ddpm": "papers/ddpm.html",
         "attention": "topics/attention.html"}
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def main(site: Path, out: Path) -> int:
    from playwright.sync_api import sync_playwright

    if not (site / "index.html").exists():
        print(f"{site}: no built site (run make html first)", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with serve(site) as base, sync_playwright() as p:
        browser = launch(p)
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, device_scale_factor=1, is_mobile=size == "phone")
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(f"{base}/{path}", wait_until="load")
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=False)
                print(target)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
