"""Keep in the site's ``_static/`` only what its pages load.

Themes and extensions copy whole folders into ``_static/``: source maps, unminified builds,
translations, templates. Once the HTML is written, this removes every file there that neither a
page (in an attribute or a script) nor another kept file names (by file name, as a whole word
of the characters file names are made of: a stylesheet naming its fonts keeps them, while
``popper.js`` is not kept by a mention of ``tippy-popper.js``), and every source map. Files the
site publishes for other tools stay: the equation registry. The decision is remembered beside the doctrees with a digest of
what it was made on, so a build that leaves the site as it was does not make it again.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from sphinx.application import Sphinx

TEXT = {".html", ".js", ".css", ".json", ".svg", ".txt"}
PUBLISHED = {"equations.json"}  # read by other tools, not by the pages
# What a page names: a file in an attribute's value (src, href, ...), or anything in a script element.
PAGE_NAMES = re.compile(r'="([^"]*\.\w+)(?:[?#][^"]*)?"|<script(\s[^>]*)?>(.*?)</script>', re.S)
MEMO = "static-files.json"  # beside the doctrees: the last decision, and what it was made on
SOURCE_MAP = re.compile(r"^\s*(//[#@]|/\*#) sourceMappingURL=.*$", re.M)
WORD = re.compile(r"[\w.@+~-]+")  # a run of the characters the names of the files are made of


def _words(text: str) -> set[str]:
    """The words of ``text`` a file name could be: looked up in a set, not searched for one by
    one through megabytes of scripts."""
    return set(WORD.findall(text))


def _named(path: Path, words: set[str], text: str) -> bool:
    """Whether ``path``'s name occurs in a text as a whole word (a name of other characters, as a
    substring)."""
    return path.name in words if WORD.fullmatch(path.name) else path.name in text


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
    words = _words(scripts)
    found = {p for p in pending if p.name in names or _named(p, words, scripts)}
    while found:
        kept |= found
        pending = [p for p in pending if p not in found]
        text = "\n".join(SOURCE_MAP.sub("", p.read_text(encoding="utf-8", errors="replace"))
                         for p in found if p.suffix in TEXT)
        words = _words(text)
        found = {p for p in pending if _named(p, words, text)}
    return sorted(set(files) - kept)


def _fingerprint(outdir: Path) -> str:
    """What :func:`unused` depends on: the pages and the files of ``_static``, by content."""
    static = outdir / "_static"
    digest = hashlib.sha256()
    for path in sorted(outdir.rglob("*")):
        if path.is_file() and (path.suffix == ".html" or static in path.parents):
            digest.update(path.relative_to(outdir).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _prune(app: Sphinx, exception: Exception | None) -> None:
    """Remove the unused files; when the site is as the last build left it before pruning, the
    same files, without reading everything again."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    memo = Path(app.doctreedir) / MEMO
    fingerprint = _fingerprint(outdir)
    try:
        last = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = {}
    if last.get("fingerprint") == fingerprint and last.get("outdir") == str(outdir):
        paths = [outdir / rel for rel in last["unused"]]
    else:
        paths = unused(outdir)
        memo.write_text(json.dumps({"outdir": str(outdir), "fingerprint": fingerprint,
                                    "unused": [p.relative_to(outdir).as_posix() for p in paths]}), encoding="utf-8")
    for path in paths:
        path.unlink(missing_ok=True)
    for folder in sorted((outdir / "_static").rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _prune, priority=950)  # after every extension has written its files
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
