"""Keep in the site's ``_static/`` only what its pages load.

Themes and extensions copy whole folders into ``_static/``: source maps, unminified builds,
translations, templates. Once the HTML is written, this removes every file there that neither a
page (in an attribute or a script) nor another kept file names (by file name, as a whole word
of the characters file names are made of: a stylesheet naming its fonts keeps them, while
``popper.js`` is not kept by a mention of ``tippy-popper.js``), and every source map. Files the
site publishes for other tools stay: the equation registry.

The decision is remembered beside the doctrees with a digest of what it was made on, so a build
that leaves the site as it was does not make it again; so are the names each file mentions, by
its content's digest, so a build that writes a few pages reads only the files that changed.
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


def _occurs(name: str, text: str) -> bool:
    """Whether ``name`` occurs in ``text`` as a whole word, found without splitting the text."""
    if not WORD.fullmatch(name):
        return name in text
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if not (at and WORD.match(text, at - 1)) and not WORD.match(text, end):
            return True
        at = text.find(name, at + 1)
    return False


def _named_in(text: str, names: set[str]) -> set[str]:
    """The ``names`` that occur in ``text`` as whole words (a name of other characters, as a
    substring): a few names searched for, many looked up in the set of the text's words."""
    if len(names) <= 8:
        return {n for n in names if _occurs(n, text)}
    plain = {n for n in names if WORD.fullmatch(n)}
    return (_words(text) & plain) | {n for n in names - plain if n in text}


def _mentions(path: Path, names: set[str], page: bool) -> set[str]:
    """The ``names`` a file mentions. A page mentions the file names its attribute values end in
    and any name in the text of its script elements (attributes included); a text file of
    ``_static``, any name in its text less its source-map comments."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if not page:
        return _named_in(SOURCE_MAP.sub("", text), names)
    found: set[str] = set()
    scripts: list[str] = []
    for value, attributes, script in PAGE_NAMES.findall(text):
        if attributes or script:
            scripts.append(attributes + script)
        elif value:
            found.add(value.rsplit("/", 1)[-1])
    return (found & names) | _named_in("\n".join(scripts), names)


def _digests(outdir: Path) -> dict[Path, str]:
    """The content digest of every page and every file of ``_static``."""
    static = outdir / "_static"
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(outdir.rglob("*"))
            if path.is_file() and (path.suffix == ".html" or static in path.parents)}


def _key(path: Path, digest: str, static: Path) -> str:
    """A file's entry in the names known: its role (page or file of ``_static``) and content."""
    return ("static:" if static in path.parents else "page:") + digest


def unused(outdir: Path, memo: dict | None = None, digests: dict[Path, str] | None = None) -> list[Path]:
    """Files of ``outdir/_static`` that nothing in the site names, and the source maps.

    ``memo`` holds what the last call learnt: ``names``, the names of the files of ``_static``
    then, and ``mentions``, which of them each file it read mentions (by :func:`_key`). A file
    found there is not read again for those names, only searched for the names that are new; the
    memo is left with the names and files of this call."""
    static = outdir / "_static"
    digests = _digests(outdir) if digests is None else digests
    files = [p for p in digests if static in p.parents]
    names = {p.name for p in files}
    memo = {} if memo is None else memo
    known, new = memo.get("mentions", {}), names - set(memo.get("names", ()))
    seen: dict[str, list[str]] = {}

    def mentions(path: Path) -> set[str]:
        key, page = _key(path, digests[path], static), static not in path.parents
        if key in seen:
            return set(seen[key])
        if key not in known:
            found = _mentions(path, names, page)
        else:
            found = set(known[key]) & names
            if new:
                text = path.read_text(encoding="utf-8", errors="replace")
                if present := {n for n in new if n in text}:
                    found |= _mentions(path, present, page)
        seen[key] = sorted(found)
        return found

    kept = {p for p in files if p.relative_to(static).as_posix() in PUBLISHED}
    pending = [p for p in files if not p.name.endswith(".map") and p not in kept]
    # A file is kept when a page names it, or a kept text file does; repeat until nothing changes.
    named = set().union(*(mentions(p) for p in digests if static not in p.parents))
    found = {p for p in pending if p.name in named}
    while found:
        kept |= found
        pending = [p for p in pending if p not in found]
        named = set().union(*(mentions(p) for p in found if p.suffix in TEXT))
        found = {p for p in pending if p.name in named}
    memo.clear()
    memo.update(names=sorted(names), mentions=seen)
    return sorted(set(files) - kept)


def _fingerprint(digests: dict[Path, str], outdir: Path) -> str:
    """What :func:`unused` depends on: the pages and the files of ``_static``, by content."""
    digest = hashlib.sha256()
    for path, content in digests.items():
        digest.update(path.relative_to(outdir).as_posix().encode() + b"\0" + content.encode())
    return digest.hexdigest()


def _prune(app: Sphinx, exception: Exception | None) -> None:
    """Remove the unused files; when the site is as the last build left it before pruning, the
    same files, without reading everything again; otherwise only the files whose content changed
    are read."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    memo = Path(app.doctreedir) / MEMO
    digests = _digests(outdir)
    fingerprint = _fingerprint(digests, outdir)
    try:
        last = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = {}
    if last.get("fingerprint") == fingerprint and last.get("outdir") == str(outdir):
        paths = [outdir / rel for rel in last["unused"]]
    else:
        learnt = last.get("learnt", {}) if last.get("outdir") == str(outdir) else {}
        paths = unused(outdir, learnt, digests)
        memo.write_text(json.dumps({"outdir": str(outdir), "fingerprint": fingerprint,
                                    "unused": [p.relative_to(outdir).as_posix() for p in paths],
                                    "learnt": learnt}), encoding="utf-8")
    for path in paths:
        path.unlink(missing_ok=True)
    for folder in sorted((outdir / "_static").rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _prune, priority=950)  # after every extension has written its files
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
