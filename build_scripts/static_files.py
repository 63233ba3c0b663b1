"""Keep in the site's ``_static/`` only what its pages load.

Themes and extensions copy whole folders into ``_static/``: source maps, unminified builds,
translations, templates. Once the HTML is written, this removes every file there that neither a
page (in an attribute or a script) nor another kept file names (by file name: a stylesheet
naming its fonts keeps them), and every source map. Files the site publishes for other tools stay: the equation registry.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

TEXT = {".html", ".js", ".css", ".json", ".svg", ".txt"}
PUBLISHED = {"equations.json"}  # read by other tools, not by the pages
# What a page names: a file in an attribute's value (src, href, ...), or anything in a script element.
PAGE_NAMES = re.compile(r'="([^"]*\.\w+)(?:[?#][^"]*)?"|<script(\s[^>]*)?>(.*?)</script>', re.S)
SOURCE_MAP = re.compile(r"^\s*(//[#@]|/\*#) sourceMappingURL=.*$", re.M)


def _named_by_pages(pages: list[Path]) -> tuple[set[str], str]:
    """The file names the pages' attribute values end in, and the text of their script elements
    (attributes included), where a name may be anywhere."""
    names: set[str] = set()
    scripts: list[str] = []
    for page in pages:
        for value, attributes, script in PAGE_NAMES.findall(page.read_text(encoding="utf-8", errors="replace")):
            if attributes or script:
                scripts.append(attributes + script)
            elif value:
                names.add(value.rsplit("/", 1)[-1])
    return names, "\n".join(scripts)


def unused(outdir: Path) -> list[Path]:
    """Files of ``outdir/_static`` that nothing in the site names, and the source maps."""
    static = outdir / "_static"
    files = [p for p in static.rglob("*") if p.is_file()]
    pages = [p for p in outdir.rglob("*.html") if static not in p.parents]
    kept = {p for p in files if p.relative_to(static).as_posix() in PUBLISHED}
    pending = [p for p in files if not p.name.endswith(".map") and p not in kept]
    # A file is kept when a page names it, or a kept text file does; repeat until nothing changes.
    names, scripts = _named_by_pages(pages)
    found = {p for p in pending if p.name in names or p.name in scripts}
    texts: dict[Path, str] = {}
    while found:
        kept |= found
        pending = [p for p in pending if p not in found]
        for p in found:
            if p.suffix in TEXT:
                texts[p] = SOURCE_MAP.sub("", p.read_text(encoding="utf-8", errors="replace"))
        named = "\n".join(texts[p] for p in found if p in texts)
        found = {p for p in pending if p.name in named}
    return sorted(set(files) - kept)


def _prune(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in unused(Path(app.outdir)):
        path.unlink()
    for folder in sorted((Path(app.outdir) / "_static").rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _prune, priority=950)  # after every extension has written its files
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
