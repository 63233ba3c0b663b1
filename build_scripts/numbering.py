"""Section and figure numbers without unpickling every page on every build.

Sphinx numbers the sections and figures (with ``numfig``, equations too) of the whole book on every
build, unpickling every page's doctree to walk it: over a third of a rebuild with nothing changed.
This replaces Sphinx's toctree collector with one that

* skips the renumbering when the build reads and removes no page: both numberings depend only on
  the pages' doctrees and the configuration, and a change to either makes Sphinx read the pages
  concerned;
* otherwise numbers the figures by Sphinx's own walk (``TocTreeCollector.assign_figure_numbers``)
  over an outline of each page: its sections, its toctrees and its numbered nodes, in document
  order, taken from the page's doctree the first time it is needed and kept until the page is read
  again. A rebuild unpickles only the pages it read.

``tests/test_incremental.py`` checks that the numbers are Sphinx's own, on the fixture book and
the book.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment.collectors import toctree
from sphinx.util import url_re

# An outline is a list of items in document order:
#   ("section", anchor, outline)    a section, "#" + its first id
#   ("toctree", [docname, ...])     a toctree's entries
#   ("numbered", figtype, node_id)  a node Sphinx numbers (figure, table, code block, equation, ...)


def _figtype(env, node: nodes.Element) -> str | None:
    """Sphinx's test (``assign_figure_numbers.get_figtype``): the kind a node is numbered as."""
    for domain in env.domains.sorted():
        figtype = domain.get_enumerable_node_type(node)
        if isinstance(domain, StandardDomain) and not domain.get_numfig_title(node):
            continue  # an uncaptioned node
        if figtype:
            return figtype
    return None


def outline(env, node: nodes.Element) -> list:
    items: list = []
    for sub in node.children:
        if isinstance(sub, nodes.section):
            items.append(("section", "#" + sub["ids"][0], outline(env, sub)))
        elif isinstance(sub, addnodes.toctree):
            items.append(("toctree", [docname for _title, docname in sub["entries"]]))
        elif isinstance(sub, nodes.Element):
            figtype = _figtype(env, sub)
            if figtype and sub["ids"]:
                items.append(("numbered", figtype, sub["ids"][0]))
            items.extend(outline(env, sub))
    return items


def _outlines(env) -> dict[str, list]:
    if not hasattr(env, "numbering_outlines"):
        env.numbering_outlines = {}
    return env.numbering_outlines


class TocTreeCollector(toctree.TocTreeCollector):
    def get_updated_docs(self, app: Sphinx, env) -> list[str]:
        if not getattr(app, "_pages_touched", True):
            return []
        return super().get_updated_docs(app, env)

    def assign_figure_numbers(self, env) -> list[str]:
        """Sphinx's numbering, step for step, over the pages' outlines."""
        if not env.config.numfig:
            return super().assign_figure_numbers(env)
        generated = frozenset(env.domains.standard_domain._virtual_doc_names)
        outlines = _outlines(env)
        old, env.toc_fignumbers = env.toc_fignumbers, {}
        counters: dict[str, dict[tuple[int, ...], int]] = {}
        assigned: set[str] = set()

        def walk(docname: str, items: list, secnum: tuple[int, ...]) -> None:
            for item in items:
                if item[0] == "section":
                    secnumbers = env.toc_secnumbers.get(docname, {})
                    own = (secnumbers.get(item[1]) if item[1] in secnumbers else secnumbers.get("")) or ()
                    walk(docname, item[2], own or secnum)
                elif item[0] == "toctree":
                    for sub in item[1]:
                        if not (url_re.match(sub) or sub == "self" or sub in generated):
                            visit(sub, secnum)
                else:
                    _kind, figtype, node_id = item
                    prefix = secnum[: env.config.numfig_secnum_depth]
                    counter = counters.setdefault(figtype, {})
                    counter[prefix] = counter.get(prefix, 0) + 1
                    env.toc_fignumbers.setdefault(docname, {}).setdefault(figtype, {})[node_id] = (*prefix, counter[prefix])

        def visit(docname: str, secnum: tuple[int, ...]) -> None:
            if docname not in assigned:
                assigned.add(docname)
                if docname not in outlines:
                    outlines[docname] = outline(env, env.get_doctree(docname))
                walk(docname, outlines[docname], secnum)

        visit(env.config.root_doc, ())
        return [docname for docname, numbers in env.toc_fignumbers.items() if numbers != old.get(docname)]


def _start(app: Sphinx) -> None:
    app._pages_touched = False


def _reading(app: Sphinx, env, docnames: list[str]) -> None:
    if docnames:
        app._pages_touched = True


def _purge(app: Sphinx, env, docname: str) -> None:
    app._pages_touched = True
    _outlines(env).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    for docname in docnames:
        _outlines(env).pop(docname, None)


def setup(app: Sphinx) -> dict:
    for listener in list(app.events.listeners.get("env-get-updated", [])):
        collector = getattr(listener.handler, "__self__", None)
        if type(collector) is toctree.TocTreeCollector:
            collector.disable(app)
    app.add_env_collector(TocTreeCollector)
    app.connect("builder-inited", _start)
    app.connect("env-before-read-docs", _reading, priority=900)  # after any extension changed the list
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
