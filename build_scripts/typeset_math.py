"""Typeset the HTML pages' math at build time, so a page arrives with its math already set.

Sphinx's HTML math renderer ``typeset``: every formula is rendered by MathJax 3 under node
(``build_scripts/js/render_math.js``, CHTML output with MathML for screen readers), with the book's
macros (``build_scripts/macros.py``, the same table as the PDF's). Pages load one stylesheet and
MathJax's fonts from ``_static/math/`` and no script. The stylesheet is MathJax's, less the rules
for characters no formula of the book uses (a quarter of its size). A formula MathJax cannot
typeset is a warning at its page and line. Hover previews (sphinx-tippy) carry the typeset math
without its copy for screen readers, which the page itself has.

Formulas are collected while pages are read and sent to node in batches as they come, so that the
math is typeset while the build reads on; the results are
kept in ``typeset-math.json`` beside the doctrees, so a rebuild renders only formulas it has not seen,
and in the book's ``build_cache`` (``build_scripts/build_cache.py``) under the same digest of the
renderer, MathJax and the macros, so that a clean build sends node only formulas no earlier build
typeset.

A page's body is written with a short ``<mjx-slot>`` in place of each formula's markup, filled in
once sphinx-tippy has read the body for its previews, and filled in its previews' data after it has
written them. The markup is two thirds of a long chapter, and sphinx-tippy parses every body and
every preview with Python's HTML parser: with the markup in place that was a third of a clean build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

from build_scripts import build_cache
from build_scripts.macros import mathjax_macros

logger = logging.getLogger(__name__)

JS = Path(__file__).parent / "js"
SCRIPT = JS / "render_math.js"
FONTS = JS / "node_modules" / "mathjax-full" / "es5" / "output" / "chtml" / "fonts" / "woff-v2"
STATIC = "math"  # _static/math/: the stylesheet and fonts/
CACHE = "typeset-math.json"
BATCH = 400  # formulas per request to a worker


def display_tex(node: nodes.math_block) -> str:
    """The TeX MathJax sets for a display block: paragraphs stacked, a multi-line one split."""
    if node.get("nowrap"):
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    body = r"\\".join(rf"\begin{{split}}{p}\end{{split}}" if r"\\" in p else p for p in parts)
    return rf"\begin{{align}}\begin{{aligned}}{body}\end{{aligned}}\end{{align}}" if len(parts) > 1 else body


def key_of(node: nodes.Element) -> str:
    if isinstance(node, nodes.math_block):
        return "D" + display_tex(node)
    return "I" + node.astext()


def _version() -> str:
    """What the rendered HTML depends on besides the TeX: the renderer, MathJax's version, the macros."""
    digest = hashlib.sha256(SCRIPT.read_bytes())
    lock = JS / "package-lock.json"
    digest.update(lock.read_bytes() if lock.exists() else b"")
    digest.update(json.dumps(mathjax_macros(), sort_keys=True).encode())
    return digest.hexdigest()


class Kept:
    """The formulas typeset by earlier builds, kept across clean builds (a table of the build
    cache, one for each version): each result with the day it was last used, dropped after
    ``build_cache.MAX_AGE_DAYS``. Read only when a build meets a formula its own store lacks."""

    def __init__(self, folder: Path, version: str):
        self.path = folder / f"{version[:32]}.json"
        self._data: dict | None = None
        self.dirty = False

    @property
    def data(self) -> dict:
        if self._data is None:
            self._data = build_cache.read_table(self.path)
            self._data.setdefault("css", "")
            self._data.setdefault("items", {})
        return self._data

    def take(self, keys: list[str], items: dict) -> list[str]:
        """Copy the kept results of ``keys`` into ``items``; the keys not kept."""
        kept, day, missing = self.data["items"], build_cache.today(), []
        for key in keys:
            entry = kept.get(key)
            if entry is None:
                missing.append(key)
                continue
            items[key] = entry["result"]
            if entry["day"] != day:
                entry["day"], self.dirty = day, True
        return missing

    def add(self, results: dict, css: str) -> None:
        day = build_cache.today()
        self.data["items"].update({key: {"result": result, "day": day} for key, result in results.items()})
        self.data["css"] = css
        self.dirty = True

    def save(self) -> None:
        if self.dirty:
            oldest = build_cache.today() - build_cache.MAX_AGE_DAYS
            data = {"css": self.data["css"], "items": {k: v for k, v in self.data["items"].items() if v["day"] >= oldest}}
            build_cache.write_table(self.path, data)
            self.dirty = False


class Store:
    """The rendered formulas of a build directory, by key."""

    def __init__(self, path: Path, kept_in: Path | None = None):
        self.path, self.version, self.dirty = path, _version(), False
        self.kept = Kept(kept_in, self.version) if kept_in is not None else None
        self.css, self.items, self.sheet = "", {}, ""  # MathJax's stylesheet; the formulas; what pages load
        self._sent: set[str] = set()  # formulas sent to node in this run
        self._waiting: list[str] = []  # formulas not sent yet, fewer than a batch
        self._jobs: list[tuple[list[str], Future]] = []
        self._pool: ThreadPoolExecutor | None = None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if data.get("version") == self.version:
            self.css, self.items, self.sheet = data.get("css", ""), data.get("items", {}), data.get("sheet")
            if self.sheet is None and self.css:  # kept by a build that served MathJax's whole stylesheet
                self._select_rules()

    def _select_rules(self) -> None:
        self.sheet = used_stylesheet(self.css, (item["html"] for item in self.items.values() if "html" in item))

    def send(self, keys: set[str]) -> None:
        """Start rendering the formulas not rendered yet, in node processes beside the build, a
        batch at a time, so that a clean build reads on while its math is typeset."""
        new = sorted(k for k in keys if k not in self.items and k not in self._sent)
        if new and self.kept is not None:
            found = len(new)
            new = self.kept.take(new, self.items)
            if len(new) < found:
                self.dirty = True
                self.css = self.css or self.kept.data["css"]
        self._sent.update(new)
        self._waiting.extend(new)
        while len(self._waiting) >= BATCH:
            self._start(self._waiting[:BATCH])
            del self._waiting[:BATCH]

    def _start(self, chunk: list[str]) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(os.cpu_count() or 1)
        self._jobs.append((chunk, self._pool.submit(_node, chunk)))

    def render(self, keys: set[str]) -> None:
        """Render the formulas not rendered yet, and wait for every batch sent before."""
        self.send(keys)
        for i in range(0, len(self._waiting), BATCH):
            self._start(self._waiting[i : i + BATCH])
        self._waiting = []
        if not self._jobs and self.css:
            return
        if not self._jobs:
            self._start([])  # the stylesheet only
        jobs, self._jobs = self._jobs, []
        for chunk, job in jobs:
            results, css = job.result()
            self.items.update(zip(chunk, results))
            self.css = css
            if self.kept is not None:
                self.kept.add(dict(zip(chunk, results)), css)
        self.dirty = True

    def close(self) -> None:
        """No more batches: the workers end (a failed build does not wait for batches it no longer needs)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        while _workers:
            _workers.pop().close()

    def save(self) -> None:
        """Keep the formulas, and select the stylesheet's rules for them, if this run rendered any."""
        if self.kept is not None:
            self.kept.save()
        if self.dirty:
            self._select_rules()
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"version": self.version, "css": self.css, "sheet": self.sheet, "items": self.items}), encoding="utf-8")
            tmp.replace(self.path)
            self.dirty = False


# --- the stylesheet: MathJax's rules for the characters the formulas use -----------------------

#: A compound selector naming a character: a tag and classes, one of them the character's (mjx-c2211).
CHARACTER = re.compile(r"(mjx-[a-z-]+)((?:\.[\w-]+)*\.mjx-c[0-9A-F]+(?:\.[\w-]+)*)")
#: An element of the markup that can name a character (a glyph, a stretched delimiter): its tag and
#: classes. (Only these tags name one; ``check_html`` checks every glyph of the pages has its rule.)
MARKED = re.compile(r'<(mjx-c|mjx-stretchy-[hv]) (?:[^>]*? )?class="([^"]*)"')
CHARACTER_CLASS = re.compile(r"mjx-c[0-9A-F]+")
#: A rule of MathJax's stylesheet: selectors, then a body whose strings may hold braces (content: "{").
RULE = re.compile(r'([^{}]*)\{(?:[^{}"]+|"(?:\\.|[^"\\])*")*\}')


def character_rule(selector: str) -> tuple[str, frozenset[str]] | None:
    """The tag and classes of the compound of ``selector`` that names a character, if one does."""
    found = CHARACTER.search(selector)
    return (found.group(1), frozenset(found.group(2).strip(".").split("."))) if found else None


def used_stylesheet(css: str, markups) -> str:
    """MathJax's stylesheet ``css`` (every character of its fonts) less the rules for characters
    that no element of ``markups`` shows: a rule naming a character is kept when an element has
    its tag and every class of its compound. The rules kept keep their order."""
    elements: set[tuple[str, str]] = set()
    for markup in markups:
        elements.update(MARKED.findall(markup))
    shown: dict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
    for tag, classes in elements:
        names = frozenset(classes.split())
        for name in names:
            if CHARACTER_CLASS.fullmatch(name):
                shown[tag, name].add(names)

    def wanted(selectors: str) -> bool:
        for selector in selectors.split(","):
            rule = character_rule(selector)
            if rule is None:
                return True
            tag, classes = rule
            character = next(c for c in classes if CHARACTER_CLASS.fullmatch(c))
            if any(classes <= names for names in shown.get((tag, character), ())):
                return True
        return False

    if RULE.sub("", css).strip():  # not a flat list of rules (a nested block): served whole
        return css
    return "".join(m.group(0) for m in RULE.finditer(css) if m.group(1).lstrip().startswith("@") or wanted(m.group(1)))


class _Worker:
    """One node process running ``render_math.js``, kept for the build: MathJax starts once."""

    def __init__(self) -> None:
        self.errors = tempfile.TemporaryFile("w+", encoding="utf-8")
        try:
            self.proc = subprocess.Popen(["node", str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self.errors, text=True, encoding="utf-8", cwd=JS)
        except OSError as err:
            raise RuntimeError(f"node could not typeset the math (run `make venv` to install MathJax): {err}") from None

    def ask(self, request: dict) -> dict:
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except OSError:
            line = ""
        if not line:
            self.proc.wait()
            self.errors.seek(0)
            detail = self.errors.read().strip()[-800:] or f"node exited with status {self.proc.returncode}"
            raise RuntimeError(f"node could not typeset the math (run `make venv` to install MathJax): {detail}")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait()
        self.errors.close()


_local = threading.local()  # each thread of the pool talks to its own worker
_workers: list[_Worker] = []


def _node(keys: list[str]) -> tuple[list[dict], str]:
    if not hasattr(_local, "worker"):
        _local.worker = _Worker()
        _workers.append(_local.worker)
    answer = _local.worker.ask({
        "items": [{"tex": k[1:], "display": k[0] == "D"} for k in keys],
        "macros": mathjax_macros(),
        "fontURL": "fonts",
    })
    return answer["results"], answer["css"]


def _store(app: Sphinx) -> Store:
    if not hasattr(app, "_typeset_math"):
        app._typeset_math = Store(Path(app.doctreedir) / CACHE, build_cache.folder(app, "typeset-math"))
    return app._typeset_math


def _is_typesetting(app: Sphinx) -> bool:
    return app.builder.format == "html" and app.config.html_math_renderer == "typeset"


# --- collecting formulas while reading --------------------------------------------------------

def _collect(app: Sphinx, doctree: nodes.document) -> None:
    keys = {key_of(n) for n in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))}
    _formulas(app.env)[app.env.docname] = keys
    if _is_typesetting(app):
        _store(app).send(keys)


def _formulas(env) -> dict[str, set[str]]:
    if not hasattr(env, "typeset_math_formulas"):
        env.typeset_math_formulas = {}
    return env.typeset_math_formulas


def _purge(app: Sphinx, env, docname: str) -> None:
    _formulas(env).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    for docname in docnames:
        if docname in _formulas(other):
            _formulas(env)[docname] = _formulas(other)[docname]


def _render_all(app: Sphinx, env) -> None:
    """One batch for every formula of the book not rendered before."""
    if _is_typesetting(app):
        _store(app).render(set().union(*_formulas(env).values()) if _formulas(env) else set())


def _render_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Formulas that extensions add after reading (generated lists), rendered before the page is written."""
    if _is_typesetting(app):
        _store(app).render({key_of(n) for n in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))})


# --- writing -----------------------------------------------------------------------------------

def _html(self, node: nodes.Element, focusable: bool = False) -> str:
    result = _store(self.builder.app).items.get(key_of(node))
    if result is None:  # a formula created while writing: render it on its own
        _store(self.builder.app).render({key_of(node)})
        result = _store(self.builder.app).items[key_of(node)]
    if "error" in result:
        logger.warning("MathJax cannot typeset this formula: %s", result["error"], location=node)
        return f'<span class="math-error" data-mjx-error="{self.attval(result["error"])}">{self.encode(node.astext())}</span>'
    html = result["html"]
    if focusable:  # a wide formula scrolls sideways on a narrow screen: the keyboard must reach it (WCAG 2.1.1)
        html = html.replace("<mjx-container ", '<mjx-container tabindex="0" ', 1)
    if self.document.get("source") == PARTIAL:  # a title or toctree entry, rendered outside the body
        return html
    return _slot(self.builder.app, html)


# --- slots: the body and the previews carry a placeholder until sphinx-tippy has read them -------

PARTIAL = "<partial node>"  # the source of the documents Sphinx's render_partial writes
SLOT = re.compile(r"<mjx-slot>([0-9a-f]+)</mjx-slot>")


def _slots(app: Sphinx) -> dict[str, str]:
    """The markup written in this run, by slot: a digest of the markup, so a slot means one thing."""
    if not hasattr(app, "_math_slots"):
        app._math_slots = {}
    return app._math_slots


def _slot(app: Sphinx, html: str) -> str:
    digest = hashlib.sha1(html.encode()).hexdigest()[:16]
    _slots(app)[digest] = html
    return f"<mjx-slot>{digest}</mjx-slot>"


def _fill(text: str, slots: dict[str, str], where: str, escape=lambda html: html) -> str:
    def markup(match: re.Match) -> str:
        if match.group(1) not in slots:
            raise RuntimeError(f"{where}: formula slot {match.group(1)} was not written in this build")
        return escape(slots[match.group(1)])

    return SLOT.sub(markup, text)


def _fill_body(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if _is_typesetting(app) and "body" in context:
        context["body"] = _fill(context["body"], _slots(app), pagename)


def visit_math(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_html(self, node) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(_html(self, node, focusable=True) + "</div>\n")
    raise nodes.SkipNode


def _assets(app: Sphinx) -> None:
    if _is_typesetting(app):
        app.add_css_file(f"{STATIC}/math.css")


def _finish(app: Sphinx, exception: Exception | None) -> None:
    if not _is_typesetting(app):
        return
    store = _store(app)
    store.close()
    if exception is not None:
        return
    store.save()
    target = Path(app.outdir) / "_static" / STATIC
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    css = target / "math.css"
    if not css.exists() or css.read_text(encoding="utf-8") != store.sheet:
        css.write_text(store.sheet, encoding="utf-8")
    for font in FONTS.glob("*.woff"):
        copy = target / "fonts" / font.name
        if not copy.exists() or copy.stat().st_size != font.stat().st_size:
            shutil.copyfile(font, copy)


ASSISTIVE = re.compile(r"<mjx-assistive-mml[^>]*>.*?</mjx-assistive-mml>", re.S)


def _fill_previews(app: Sphinx, exception: Exception | None) -> None:
    """Fill the slots of the previews' data, written by sphinx-tippy at build-finished, with the
    markup less its MathML copy (the page itself has one for screen readers)."""
    if exception is not None or not _is_typesetting(app):
        return
    slots = {number: ASSISTIVE.sub("", html) for number, html in _slots(app).items()}
    as_json = lambda html: json.dumps(html)[1:-1]  # the data is a JavaScript object literal
    for data in (Path(app.outdir) / "_static" / "tippy").rglob("*.js"):
        text = data.read_text(encoding="utf-8")
        if "<mjx-slot>" in text:
            data.write_text(_fill(text, slots, str(data.relative_to(app.outdir)), as_json), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.setup_extension("build_scripts.build_cache")
    app.add_html_math_renderer("typeset", (visit_math, None), (visit_displaymath, None))
    app.connect("builder-inited", _assets)
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-updated", _render_all)
    app.connect("doctree-resolved", _render_page)
    app.connect("build-finished", _finish)
    app.connect("html-page-context", _fill_body, priority=460)  # after sphinx-tippy (450) has read the body
    app.connect("build-finished", _fill_previews, priority=900)  # after sphinx-tippy (500) has written the data
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
