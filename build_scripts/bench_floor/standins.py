"""Minimal stand-ins for the directives and roles the book's sources use beyond bare Sphinx.

Each parses what the sources write and produces the least output that keeps the page whole:
``{plot}`` its caption, a ``{prf:...}`` block its title and body, ``{cite:p}``/``{cite:t}``
and ``{prf:ref}`` their target as text, ``{bibliography}`` and ``{equation-index}`` nothing;
``{math}`` takes ``:desc:`` and ``:topics:`` and ignores them. The Papers toctree is filled as
:mod:`build_scripts.papers_toctree` fills it.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.directives.patches import MathDirective
from sphinx.domains import Domain
from sphinx.util.docutils import SphinxDirective

from build_scripts.papers_toctree import PLACEHOLDER, existing_chapters

PROOF_KINDS = ("theorem", "lemma", "proposition", "corollary", "definition", "algorithm", "remark", "proof")


class Math(MathDirective):
    option_spec = {**MathDirective.option_spec, "desc": directives.unchanged, "topics": directives.unchanged}


class Plot(SphinxDirective):
    required_arguments = 1
    option_spec = {"caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        return [nodes.paragraph("", self.options.get("caption", self.arguments[0]))]


class Proof(SphinxDirective):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"label": directives.unchanged, "class": directives.unchanged, "nonumber": directives.flag}

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["proof"])
        if self.arguments:
            box += nodes.strong("", self.arguments[0])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class Nothing(SphinxDirective):
    has_content = True
    optional_arguments = 1
    option_spec = {"filter": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        return []


def text_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.literal(rawtext, text)], []


class CiteDomain(Domain):
    name = "cite"
    roles = {"p": text_role, "t": text_role}


class ProofDomain(Domain):
    name = "prf"
    directives = {kind: Proof for kind in PROOF_KINDS}
    roles = {"ref": text_role}


def _fill(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname == app.config.root_doc:
        source[0] = source[0].replace(PLACEHOLDER, "\n".join(existing_chapters(Path(app.srcdir))))


def setup(app: Sphinx) -> dict:
    app.add_directive("math", Math, override=True)
    app.add_directive("plot", Plot)
    app.add_domain(CiteDomain)
    app.add_domain(ProofDomain)
    app.add_directive("bibliography", Nothing)
    app.add_directive("equation-index", Nothing)
    app.connect("source-read", _fill)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
