"""The front page's view of the whole book, generated so that it cannot go stale.

``{book-at-a-glance}`` becomes

* in the HTML, one card per paper, in the book's order: chapter number, title, year, its one-line
  contribution (from the table of papers, ``build_scripts/papers.py``) and the Machinery pages its
  equations rest on (from the equation registry);
* in both outputs, a map of papers against Machinery pages, drawn with matplotlib from the equation
  registry when the book is built (SVG in the HTML, PDF in the PDF): a dot where a paper's labelled
  equations name a topic page, its size the number of such equations.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from build_scripts.book_wide_pages import BookWidePages
from build_scripts.equations import PAPERS_DIR, TOPICS_DIR
from build_scripts.papers import PAPERS

MAP = "book-map"  # book-map.svg (HTML) and book-map.pdf (LaTeX), drawn into the doctree directory
CAPTION = "Which Machinery pages each paper's equations rest on: a dot's area grows with the number of its equations that use the page."


class at_a_glance(nodes.General, nodes.Element):
    """Placeholder for the cards and the map."""


class AtAGlanceDirective(SphinxDirective):
    def run(self):
        self.env.front_pages = getattr(self.env, "front_pages", set()) | {self.env.docname}
        return [at_a_glance()]


def uses(env) -> dict[str, dict[str, int]]:
    """paper slug -> topic page -> number of the paper's equations that name it."""
    table: dict[str, dict[str, int]] = {p.slug: {} for p in PAPERS}
    for eq in getattr(env, "pb_equations", {}).values():
        slug = eq["docname"][len(PAPERS_DIR):] if eq["docname"].startswith(PAPERS_DIR) else None
        if slug in table:
            for topic in eq["topics"]:
                table[slug][topic] = table[slug].get(topic, 0) + 1
    return table


def topic_pages(env) -> list[str]:
    """Topic pages in the book's order (their toctree is a glob, so alphabetical)."""
    return sorted(d[len(TOPICS_DIR):] for d in env.found_docs if d.startswith(TOPICS_DIR))


def _draw(app: Sphinx, env) -> None:
    """Redraw the map when the registry's table changed (or the drawing is missing)."""
    table, topics = uses(env), topic_pages(env)
    titles = {t: env.titles[TOPICS_DIR + t].astext() if TOPICS_DIR + t in env.titles else t for t in topics}
    data = json.dumps([table, topics, titles], sort_keys=True)
    digest = hashlib.sha256(data.encode()).hexdigest()
    out = Path(app.doctreedir)
    stamp = out / f"{MAP}.sha256"
    if stamp.exists() and stamp.read_text() == digest and all((out / f"{MAP}.{e}").exists() for e in ("svg", "pdf")):
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    papers = [p for p in PAPERS if f"{PAPERS_DIR}{p.slug}" in env.found_docs]
    fig, ax = plt.subplots(figsize=(8.6, 7.4))
    for row, paper in enumerate(papers):
        for col, topic in enumerate(topics):
            count = table[paper.slug].get(topic, 0)
            if count:
                ax.scatter(col, row, s=14 + 16 * count, color="#1f5f8b", alpha=0.85, linewidths=0)
    ax.set_xticks(range(len(topics)), [titles[t] for t in topics], rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(papers)), [f"{p.number}. {p.slug}" for p in papers], fontsize=7.5)
    ax.set_xlim(-0.7, len(topics) - 0.3)
    ax.set_ylim(len(papers) - 0.3, -0.7)
    ax.grid(True, color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.set_xlabel("Machinery (Part II)")
    ax.set_ylabel("Papers (Part I)")
    fig.tight_layout()
    with matplotlib.rc_context({"svg.hashsalt": "book-map"}):  # the same ids in every build
        for ext in ("svg", "pdf"):
            fig.savefig(out / f"{MAP}.{ext}", metadata={"Date": None} if ext == "svg" else {"CreationDate": None})
    plt.close(fig)
    stamp.write_text(digest)


def _cards(app: Sphinx, fromdoc: str) -> str:
    env, table = app.env, uses(app.env)
    cards = []
    for paper in PAPERS:
        docname = f"{PAPERS_DIR}{paper.slug}"
        if docname not in env.found_docs:
            continue
        number = ".".join(map(str, env.toc_secnumbers.get(docname, {}).get("", ()))) or str(paper.number)
        uri = app.builder.get_relative_uri(fromdoc, docname)
        title = env.titles[docname].astext()
        topics = sorted(table[paper.slug], key=lambda t: -table[paper.slug][t])
        links = ", ".join(
            f'<a href="{html.escape(app.builder.get_relative_uri(fromdoc, TOPICS_DIR + t))}">'
            f"{html.escape(env.titles[TOPICS_DIR + t].astext())}</a>"
            for t in topics if TOPICS_DIR + t in env.titles
        )
        cards.append(
            '<div class="sd-col sd-d-flex-row"><div class="sd-card sd-w-100 sd-shadow-sm paper-card">'
            '<div class="sd-card-body">'
            f'<p class="sd-card-title"><a href="{html.escape(uri)}">{number}. {html.escape(title)}</a>'
            f' <span class="paper-year">({paper.year})</span></p>'
            f'<p class="sd-card-text">{html.escape(paper.contribution)}</p>'
            f'<p class="sd-card-text paper-machinery"><span class="paper-machinery-label">Machinery:</span> {links}</p>'
            "</div></div></div>"
        )
    return (
        '<div class="sd-container-fluid sd-sphinx-override sd-mb-4 paper-cards">'
        '<div class="sd-row sd-row-cols-1 sd-row-cols-sm-1 sd-row-cols-md-2 sd-row-cols-lg-2 sd-g-3">'
        + "".join(cards)
        + "</div></div>"
    )


def _map(app: Sphinx, fromdoc: str) -> nodes.Node:
    if app.builder.format == "latex":
        return nodes.raw(
            "",
            "\\begin{figure}[htbp]\\centering\\includegraphics[width=\\linewidth]{%s.pdf}\n\\caption{%s}\\end{figure}\n"
            % (MAP, CAPTION),
            format="latex",
        )
    src = "../" * fromdoc.count("/") + f"_images/{MAP}.svg"
    return nodes.raw(
        "",
        f'<figure class="align-default book-map"><img src="{src}" alt="{html.escape(CAPTION)}"/>'
        f"<figcaption><p>{html.escape(CAPTION)}</p></figcaption></figure>",
        format="html",
    )


def _resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(at_a_glance)):
        parts = [] if app.builder.format == "latex" else [nodes.raw("", _cards(app, docname), format="html")]
        node.replace_self(parts + [_map(app, docname)])


def _shown(app: Sphinx, env) -> list:
    """Everything the cards and the map show."""
    table, topics = uses(env), topic_pages(env)
    papers = [(p.slug, p.number, p.year, p.contribution, env.toc_secnumbers.get(PAPERS_DIR + p.slug, {}).get(""),
               env.titles[PAPERS_DIR + p.slug].astext() if PAPERS_DIR + p.slug in env.titles else None)
              for p in PAPERS if PAPERS_DIR + p.slug in env.found_docs]
    titles = {t: env.titles[TOPICS_DIR + t].astext() if TOPICS_DIR + t in env.titles else None for t in topics}
    return [table, papers, titles]


FRONT_PAGES = BookWidePages("front-pages", _shown, lambda env: getattr(env, "front_pages", set()))


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "front_pages", set()).discard(docname)


def _merge(app: Sphinx, env, docnames, other) -> None:
    env.front_pages = getattr(env, "front_pages", set()) | (getattr(other, "front_pages", set()) & set(docnames))


def _copy(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format not in ("html", "latex"):
        return
    if app.builder.format == "html":
        target = Path(app.outdir) / "_images" / f"{MAP}.svg"
        source = Path(app.doctreedir) / f"{MAP}.svg"
    else:
        target = Path(app.outdir) / f"{MAP}.pdf"
        source = Path(app.doctreedir) / f"{MAP}.pdf"
    if source.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def setup(app: Sphinx) -> dict:
    app.add_node(at_a_glance)
    app.add_directive("book-at-a-glance", AtAGlanceDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    FRONT_PAGES.connect(app)
    app.connect("env-check-consistency", _draw)
    app.connect("doctree-resolved", _resolve)
    app.connect("build-finished", _copy)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
