"""Equations as first-class objects: topics, descriptions, back-links, an index and a registry.

An author writes, in a chapter::

    ```{math}
    :label: transformer-attention
    :desc: Scaled dot-product attention.
    :topics: softmax, attention

    ...
    ```

and this extension

* shows "Machinery:" links to those topic pages under the equation (both outputs);
* adds to every topic page, before its exercises, a generated "Used in" list of the equations that
  name it;
* fills the ``{equation-index}`` directive with every labelled equation of the book;
* registers each equation label as a ``std:label`` whose title is the equation's number, so that
  ``{ref}`` works in the book and other projects can cite it through intersphinx (``objects.inv``);
* writes ``_static/equations.json`` (the label registry) with the HTML, when it has changed;
* rewrites, when a page's equations change (added, removed, reordered, a new description or
  new topics), the topic pages that list them and the pages with the equation index, and, when
  their numbers change, the pages that cite them; an edit of an equation's TeX alone rewrites
  no other page;
* warns, with file and line, on an unlabelled display equation or a label without the page's
  prefix, a missing description, an unknown topic, an unused topic page, ``\\label``/``\\tag`` or
  non-ASCII characters inside math.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.directives.patches import MathDirective
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

PAPERS_DIR = "papers/"
TOPICS_DIR = "topics/"


# --- nodes ---------------------------------------------------------------------------------


class usedin_list(nodes.General, nodes.Element):
    """Placeholder for the generated "Used in" list of a topic page."""


class equation_index(nodes.General, nodes.Element):
    """Placeholder for the generated index of all equations."""


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


# --- authoring ---------------------------------------------------------------------------


def _topic_list(argument: str) -> list[str]:
    return [t.strip() for t in argument.replace(",", " ").split() if t.strip()]


class EquationDirective(MathDirective):
    """Sphinx's ``math`` directive plus ``:desc:`` and ``:topics:``."""

    option_spec = {
        **MathDirective.option_spec,
        "desc": directives.unchanged_required,
        "topics": _topic_list,
    }

    def run(self) -> list[nodes.Node]:
        result = super().run()
        math = next(n for n in result if isinstance(n, nodes.math_block))
        label = math.get("label")
        topics = self.options.get("topics", [])
        if not label:
            return result
        _, line = self.get_source_info()
        self.env.pb_equations[label] = {
            "docname": self.env.current_document.docname,
            "line": line,
            "desc": self.options.get("desc", "").strip(),
            "topics": topics,
            "latex": math.astext(),
        }
        if topics:
            result.extend(self._machinery(label, topics))
        return result

    def _machinery(self, label: str, topics: list[str]) -> list[nodes.Node]:
        para = nodes.paragraph(classes=["machinery"])
        self.set_source_info(para)
        para += nodes.strong("", "Machinery: ")
        for i, topic in enumerate(topics):
            if i:
                para += nodes.Text(" · ")
            ref = addnodes.pending_xref(
                "",
                nodes.inline("", topic, classes=["xref", "std", "std-doc"]),
                refdomain="std",
                reftype="doc",
                reftarget="/" + TOPICS_DIR + topic,
                refdoc=self.env.current_document.docname,
                refexplicit=False,
                refwarn=True,
            )
            self.set_source_info(ref)
            para += ref
        entries = [
            ("single", f"{topic.replace('-', ' ')}; {self.options.get('desc', label)}", f"equation-{label}", "", None)
            for topic in topics
        ]
        index = addnodes.index(entries=entries)
        return [index, para]


class EquationIndexDirective(SphinxDirective):
    """``{equation-index}``: a table of every labelled equation, filled at resolve time."""

    def run(self) -> list[nodes.Node]:
        node = equation_index()
        self.set_source_info(node)
        self.env.pb_index_docs.add(self.env.current_document.docname)
        return [node]


# --- environment ---------------------------------------------------------------------------


def _init_env(app: Sphinx) -> None:
    if not hasattr(app.env, "pb_equations"):
        app.env.pb_equations = {}
    if not hasattr(app.env, "pb_index_docs"):
        app.env.pb_index_docs = set()
    if not hasattr(app.env, "pb_cited"):
        app.env.pb_cited = {}  # docname -> the labels its references name
    app.env.pb_before = {}  # docname -> what its equations showed before it was read again


def _listed(env: BuildEnvironment, docname: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """What the "Used in" lists and the index show of a page's equations, in page order."""
    eqs = sorted((eq["line"] or 0, label, eq["desc"], tuple(eq["topics"]))
                 for label, eq in env.pb_equations.items() if eq["docname"] == docname)
    return [rest for _, *rest in eqs]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env.pb_before.setdefault(docname, _listed(env, docname))
    env.pb_equations = {k: v for k, v in env.pb_equations.items() if v["docname"] != docname}
    env.pb_index_docs.discard(docname)
    env.pb_cited.pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    env.pb_equations.update({k: v for k, v in other.pb_equations.items() if v["docname"] in docnames})
    env.pb_index_docs |= other.pb_index_docs & docnames
    env.pb_cited.update({doc: labels for doc, labels in other.pb_cited.items() if doc in docnames})


def _pages_listing_changes(app: Sphinx, env: BuildEnvironment) -> set[str]:
    """The topic pages and index pages that show equations of the pages read again, if those changed."""
    outdated: set[str] = set()
    for docname, before in env.pb_before.items():
        after = _listed(env, docname)
        if after == before:
            continue
        topics = {topic for _, _, names in before + after for topic in names}
        outdated |= {TOPICS_DIR + topic for topic in topics} | env.pb_index_docs
        if [label for label, *_ in after] != [label for label, *_ in before]:  # numbers have moved
            labels = {label for label, *_ in before + after}
            outdated |= {doc for doc, cited in env.pb_cited.items() if cited & labels}
    env.pb_before = {}
    return outdated & env.found_docs


def _by_topic(app: Sphinx, env: BuildEnvironment) -> None:
    """Once per build, not once per topic page: each topic's equations in reading order."""
    env.pb_by_topic = {}
    for label, eq in ordered_equations(env):
        for topic in eq["topics"]:
            env.pb_by_topic.setdefault(topic, []).append((label, eq))


def _prefix(docname: str) -> str | None:
    for folder in (PAPERS_DIR, TOPICS_DIR):
        if docname.startswith(folder):
            return docname[len(folder):] + "-"
    return None


def _check_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """Per-page checks on display math, and the "Used in" placeholder of a topic page."""
    docname = app.env.current_document.docname
    app.env.pb_cited[docname] = {ref["reftarget"] for ref in doctree.findall(addnodes.pending_xref)
                                 if ref.get("refdomain") == "math" or ref.get("reftype") in ("ref", "numref")}
    prefix = _prefix(docname)
    for math in doctree.findall(nodes.math_block):
        label = math.get("label")
        text = math.astext()
        if "\\label" in text or "\\tag" in text:
            logger.warning("\\label or \\tag inside math: use the :label: option", location=math)
        bad = sorted({c for c in text if ord(c) > 127})
        if bad:
            logger.warning("non-ASCII characters in math (pdflatex cannot typeset them): %s", " ".join(bad), location=math)
        if prefix is None:
            continue
        if docname.startswith(PAPERS_DIR) and not label:
            logger.warning("display equation without a label (use {math} with :label: %s<name>)", prefix, location=math)
        elif label and not label.startswith(prefix):
            logger.warning("equation label %r lacks this page's prefix %r", label, prefix, location=math)
        if label and not app.env.pb_equations.get(label, {}).get("desc"):
            logger.warning("equation %r has no :desc: (one line for the equation index)", label, location=math)
    if docname.startswith(TOPICS_DIR):
        sections = list(doctree.findall(nodes.section))
        if sections:
            section = nodes.section(ids=["used-in"], names=["used in"])
            section += nodes.title("", "Used in")
            section += usedin_list(topic=docname)
            top = sections[0]
            exercises = [c for c in top.children if isinstance(c, nodes.section) and c[0].astext() == "Exercises"]
            if exercises:  # the exercises stay last
                top.insert(top.index(exercises[0]), section)
            else:
                top += section


def _check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """Book-wide checks, and equation labels registered as std labels titled by their number."""
    used: set[str] = set()
    for label, eq in sorted(env.pb_equations.items()):
        for topic in eq["topics"]:
            used.add(TOPICS_DIR + topic)
            if TOPICS_DIR + topic not in env.found_docs:
                logger.warning(
                    "equation %r names topic %r, but source/%s%s.md does not exist",
                    label, topic, TOPICS_DIR, topic, location=(eq["docname"], eq["line"]),
                )
    for docname in sorted(env.found_docs):
        if docname.startswith(TOPICS_DIR) and docname not in used:
            logger.warning("topic page is used by no equation (no :topics: names %r)", docname[len(TOPICS_DIR):],
                           location=(docname, 1))
    std = env.domains.standard_domain
    for label, eq in env.pb_equations.items():
        number = equation_number(env, label)
        if number is None:
            continue
        existing = std.labels.get(label)
        if existing and existing[1] != f"equation-{label}":
            logger.warning("equation label %r is also a section label in %s", label, existing[0],
                           location=(eq["docname"], eq["line"]))
            continue
        title = app.config.math_eqref_format.format(number=number)
        std.labels[label] = (eq["docname"], f"equation-{label}", title)
        std.anonlabels[label] = (eq["docname"], f"equation-{label}")


def equation_number(env: BuildEnvironment, label: str) -> str | None:
    """The number an equation shows, e.g. ``"7.3"``, as the HTML and the PDF number it."""
    found = env.domains.math_domain.equations.get(label)
    if not found:
        return None
    docname, number = found
    fignumbers = env.toc_fignumbers.get(docname, {}).get("displaymath", {})
    numbers = fignumbers.get(f"equation-{label}")
    if numbers:
        return env.config.math_numsep.join(map(str, numbers))
    return str(number)


def book_order(env: BuildEnvironment, root: str) -> list[str]:
    """Documents in reading order: a depth-first walk of the toctrees from the root."""
    order: list[str] = []

    def walk(doc: str) -> None:
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(root)
    return order


def ordered_equations(env: BuildEnvironment) -> list[tuple[str, dict]]:
    rank = {doc: i for i, doc in enumerate(book_order(env, env.config.root_doc))}
    return sorted(env.pb_equations.items(), key=lambda kv: (rank.get(kv[1]["docname"], 10**6), kv[1]["line"] or 0))


# --- resolving the placeholders ---------------------------------------------------------------


def _eq_ref(label: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.literal("", label), refdomain="math", reftype="eq", reftarget=label, refexplicit=False, refwarn=True
    )


def _doc_ref(docname: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.inline("", docname), refdomain="std", reftype="doc", reftarget="/" + docname,
        refexplicit=False, refwarn=True,
    )


class FillEquationLists(SphinxPostTransform):
    """Replace the placeholders by lists of references, before references are resolved.

    It runs before LaTeX's own math-reference transform (priority 5), so that equation numbers in
    the PDF come from LaTeX itself.
    """

    default_priority = 4

    def run(self, **kwargs: Any) -> None:
        env = self.env
        for node in list(self.document.findall(usedin_list)):
            topic = node["topic"][len(TOPICS_DIR):]
            users = env.pb_by_topic.get(topic, [])
            if not users:
                node.replace_self(nodes.paragraph("", "No equation of the book uses this page yet."))
                continue
            items = nodes.bullet_list(classes=["used-in"])
            for label, eq in users:
                para = nodes.paragraph()
                para += _eq_ref(label)
                para += nodes.Text(" in ")
                para += _doc_ref(eq["docname"])
                if eq["desc"]:
                    para += nodes.Text(": " + eq["desc"])
                items += nodes.list_item("", para)
            node.replace_self(items)
        for node in list(self.document.findall(equation_index)):
            node.replace_self(self._index_table())

    def _index_table(self) -> nodes.table:
        table = nodes.table(classes=["equation-index"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (12, 22, 42, 24):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self._row([nodes.Text(t) for t in ("Equation", "Chapter", "Description", "Machinery")])
        body = nodes.tbody()
        group += body
        for label, eq in ordered_equations(self.env):
            topics = nodes.inline()
            for i, topic in enumerate(eq["topics"]):
                if i:
                    topics += nodes.Text(", ")
                topics += _doc_ref(TOPICS_DIR + topic)
            body += self._row([_eq_ref(label), _doc_ref(eq["docname"]), nodes.Text(eq["desc"]), topics])
        return table

    @staticmethod
    def _row(cells: list[nodes.Node]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", "", cell)
            row += entry
        return row


# --- the registry ---------------------------------------------------------------------------


def registry(app: Sphinx) -> dict[str, dict]:
    env = app.env
    out = {}
    for label, eq in ordered_equations(env):
        docname = eq["docname"]
        out[label] = {
            "number": equation_number(env, label),
            "document": docname,
            "url": app.builder.get_target_uri(docname) + f"#equation-{label}",
            "chapter": env.titles[docname].astext() if docname in env.titles else "",
            "latex": eq["latex"],
            "description": eq["desc"],
            "topics": eq["topics"],
        }
    return out


def _write_registry(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        path = Path(app.outdir) / "_static" / "equations.json"
        text = json.dumps(registry(app), indent=1, ensure_ascii=False) + "\n"
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _add_static)
    app.add_directive("math", EquationDirective, override=True)
    app.add_directive("equation-index", EquationIndexDirective)
    for node in (usedin_list, equation_index):
        app.add_node(node, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.add_post_transform(FillEquationLists)
    app.connect("builder-inited", _init_env)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-read", _check_doctree)
    app.connect("env-get-updated", _pages_listing_changes)
    app.connect("env-updated", _by_topic)
    app.connect("env-check-consistency", _check_consistency)
    app.connect("build-finished", _write_registry)
    app.add_css_file("equations.css")
    app.add_js_file("equations.js")
    return {"version": "1.0", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
