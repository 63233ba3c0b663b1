"""What the book's exercises need beyond sphinx-exercise: numbered titles for other books, and a
Solutions page.

* An exercise's label is exported in ``objects.inv`` titled with its number ("Exercise 7.3"), as
  the equations are, so that other books can cite it through intersphinx.
* An exercise's solution is written right under it (sphinx-exercise's ``{solution}``, a dropdown in
  the HTML). The ``{solutions}`` directive, on ``source/solutions.md``, adds:

  - in the HTML, a list of every exercise of the book, page by page, each linked to its exercise;
  - in the PDF, the solutions themselves: each is moved out of its chapter, under a heading naming
    the chapter, and each exercise ends with a link to its solution and the page it is on. A
    solution's title links back to its exercise.

sphinx-exercise keeps a copy of every exercise and solution in the environment; those copies are
detached from the page they were read in, so that the pickled environment does not carry a whole
page per exercise.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from build_scripts.book_wide_pages import BookWidePages
from build_scripts.equations import book_order

logger = logging.getLogger(__name__)


class solutions_node(nodes.General, nodes.Element):
    """Where the list of exercises (HTML) or the solutions (PDF) go."""


class SolutionsDirective(SphinxDirective):
    def run(self):
        return [solutions_node()]


def _number(app: Sphinx, docname: str, label: str) -> str:
    numbers = app.env.toc_fignumbers.get(docname, {}).get("exercise", {}).get(label)
    return ".".join(map(str, numbers)) if numbers else ""


def _subtitle(node: nodes.Element) -> str:
    from sphinx_exercise.nodes import exercise_subtitle

    found = next(iter(node.findall(exercise_subtitle)), None)
    return found.astext() if found is not None else ""


def _page_heading(app: Sphinx, docname: str) -> str:
    title = app.env.titles[docname].astext()
    number = app.env.toc_secnumbers.get(docname, {}).get("")
    return f"{'.'.join(map(str, number))} {title}" if number else title


def _exercises_by_page(app: Sphinx) -> list[tuple[str, list[dict]]]:
    registry = getattr(app.env, "sphinx_exercise_registry", {})
    pages = []
    for docname in book_order(app.env, app.config.root_doc):
        found = [entry for entry in registry.values() if entry["docname"] == docname and entry["type"] == "exercise"]
        if found:
            found.sort(key=lambda e: tuple(app.env.toc_fignumbers.get(docname, {}).get("exercise", {}).get(e["node"]["label"], ())))
            pages.append((docname, found))
    return pages


def _html_list(app: Sphinx, fromdoc: str) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for docname, entries in _exercises_by_page(app):
        uri = app.builder.get_relative_uri(fromdoc, docname)
        heading = nodes.paragraph()
        heading += nodes.reference("", "", nodes.strong(text=_page_heading(app, docname)), refuri=uri, internal=True)
        items = nodes.bullet_list(classes=["exercise-list"])
        for entry in entries:
            label = entry["node"]["label"]
            text = f"Exercise {_number(app, docname, label)}"
            if _subtitle(entry["node"]):
                text += f" ({_subtitle(entry['node'])})"
            item = nodes.list_item("", nodes.paragraph("", "", nodes.reference("", text, refuri=f"{uri}#{label}", internal=True)))
            items += item
        out += [heading, items]
    return out


def _latex(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def _gather_for_latex(app: Sphinx, doctree: nodes.document) -> None:
    """Move every solution of the assembled book under the Solutions chapter, page by page."""
    from sphinx_exercise.nodes import exercise_enumerable_node, solution_node

    placeholder = next(iter(doctree.findall(solutions_node)), None)
    if placeholder is None:
        return
    registry = app.env.sphinx_exercise_registry
    solution_of = {}
    for solution in list(doctree.findall(solution_node)):
        solution_of[solution["target_label"]] = solution
        solution.parent.remove(solution)
    content: list[nodes.Node] = []
    for exercise in list(doctree.findall(exercise_enumerable_node)):
        label = exercise["label"]
        docname = registry[label]["docname"]
        # sphinx-exercise's solution title links to docname:label; the exercise itself is labelled
        # exercise:label, so give it both.
        exercise.parent.insert(exercise.parent.index(exercise), _latex(f"\\phantomsection\\label{{{docname}:{label}}}\n"))
        solution = solution_of.get(label)
        if solution is None:
            continue
        target = f"{docname}:{solution['label']}"
        exercise += _latex(f"\n\\par\\hfill\\hyperref[{target}]{{Solution}}, p.~\\pageref{{{target}}}\n")
        content.append((docname, solution))
    body: list[nodes.Node] = []
    current = None
    for docname, solution in content:
        if docname != current:
            current = docname
            body.append(_latex(f"\\section*{{{_escape(_page_heading(app, docname))}}}\n"))
        wrapper = addnodes.start_of_file(docname=docname)
        wrapper += solution
        body.append(wrapper)
    placeholder.replace_self(body)


def _escape(text: str) -> str:
    from sphinx.util.texescape import escape

    return escape(text)


def _resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format == "latex":
        if docname == app.config.root_doc:
            _gather_for_latex(app, doctree)
        return
    for node in list(doctree.findall(solutions_node)):
        node.replace_self(_html_list(app, docname))


def _note_page(app: Sphinx, doctree: nodes.document) -> None:
    if next(iter(doctree.findall(solutions_node)), None) is not None:
        _pages(app.env).add(app.env.docname)


def _pages(env) -> set[str]:
    if not hasattr(env, "solutions_pages"):
        env.solutions_pages = set()
    return env.solutions_pages


def _purge(app: Sphinx, env, docname: str) -> None:
    _pages(env).discard(docname)


def _merge(app: Sphinx, env, docnames, other) -> None:
    _pages(env).update(_pages(other) & set(docnames))


def _shown(app: Sphinx, env) -> list:
    """Everything the list of exercises shows: each page's heading, its exercises' labels,
    numbers and subtitles."""
    return [(docname, _page_heading(app, docname),
             [(e["node"]["label"], _number(app, docname, e["node"]["label"]), _subtitle(e["node"])) for e in entries])
            for docname, entries in _exercises_by_page(app)]


SOLUTIONS_PAGES = BookWidePages("solutions-pages", _shown, _pages)


def _titles(app: Sphinx, env) -> None:
    """Every exercise's label titled with its number, for {ref} without a title and objects.inv;
    a solution of an exercise that does not exist is reported at its page and line."""
    std = env.domains.standard_domain
    registry = getattr(env, "sphinx_exercise_registry", {})
    for entry in registry.values():
        target = entry["node"].get("target_label") if entry["type"] == "solution" else None
        if target and target not in registry:
            logger.warning("a {solution} of an exercise that does not exist: undefined label: %s", target,
                           location=(entry["docname"], _line_of(env, entry["docname"], "{solution} " + target)))
    for label, entry in registry.items():
        if entry["type"] == "exercise" and (number := _number(app, entry["docname"], label)):
            std.labels[label] = (entry["docname"], label, f"Exercise {number}")


def _line_of(env, docname: str, text: str) -> int | None:
    """The first line of a page's source that contains ``text``."""
    for number, line in enumerate(env.doc2path(docname).read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    return None


def _note_reading(app: Sphinx, env, docnames: list[str]) -> None:
    app._exercise_pages_read = set(docnames)


def _detach_registry(app: Sphinx, env) -> None:
    """Replace each node of sphinx-exercise's registry that this run read with a copy that does not
    point to its page (the others came from the pickle, detached already).

    A node's ``document`` is its page's doctree: pickled with the environment, it would carry that
    page (a fifth of a megabyte) once per exercise, into every run's start-up. The registry is
    read only for the nodes' class, title and attributes."""
    read = getattr(app, "_exercise_pages_read", set())
    for entry in getattr(env, "sphinx_exercise_registry", {}).values():
        if entry["docname"] not in read:
            continue
        copy = entry["node"].deepcopy()
        for node in copy.findall():
            node.document = None
        entry["node"] = copy


def setup(app: Sphinx) -> dict:
    app.add_node(solutions_node)
    app.add_directive("solutions", SolutionsDirective)
    app.connect("doctree-read", _note_page)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    SOLUTIONS_PAGES.connect(app)
    app.connect("env-check-consistency", _titles)
    app.connect("env-before-read-docs", _note_reading)
    app.connect("env-updated", _detach_registry, priority=900)  # after sphinx-exercise's own (500)
    app.connect("doctree-resolved", _resolve)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
