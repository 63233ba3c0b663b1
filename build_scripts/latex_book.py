"""Give the PDF the shape of a book.

* Each captioned toctree of the root document becomes a LaTeX ``\\part`` when it is numbered
  (Part I "Papers", Part II "Machinery"); an unnumbered one (front and back matter) makes its
  chapters unnumbered, as they are in the HTML. Chapter numbers, and so equation numbers, then
  agree between the two outputs.
* The bibliography page keeps its title in the HTML; in the PDF its entries go to the one
  bibliography LaTeX prints at the end, so the page's own, empty chapter is dropped.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform

BIBLIOGRAPHY_DOC = "bibliography"

PREAMBLE = r"""
% Sphinx names the table of contents after the first toctree caption; the book calls it Contents.
\AtBeginDocument{\renewcommand{\contentsname}{Contents}}
\newcounter{pbsecnumdepth}
\AtBeginDocument{\setcounter{pbsecnumdepth}{\value{secnumdepth}}}
\newcommand{\pbunnumbered}{\setcounter{secnumdepth}{-2}}
\newcommand{\pbnumbered}{\setcounter{secnumdepth}{\value{pbsecnumdepth}}}
"""


def _latex(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def _mark_parts(app: Sphinx, doctree: nodes.document) -> None:
    if app.env.current_document.docname != app.config.root_doc:
        return
    for wrapper in list(doctree.findall(nodes.compound)):
        if "toctree-wrapper" not in wrapper["classes"]:
            continue
        toctree = next(iter(wrapper.findall(addnodes.toctree)), None)
        if toctree is None:
            continue
        if toctree.get("numbered"):
            caption = toctree.get("caption") or ""
            text = "\\pbnumbered\n\\part{%s}\n" % caption
        else:
            text = "\\pbunnumbered\n"
        wrapper.parent.insert(wrapper.parent.index(wrapper), _latex(text))


class DropBibliographyChapter(SphinxPostTransform):
    """In the PDF, unwrap the bibliography page: its citations stay, its title goes."""

    default_priority = 5
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for start in self.document.findall(addnodes.start_of_file):
            if start.get("docname") != BIBLIOGRAPHY_DOC:
                continue
            for section in [c for c in start.children if isinstance(c, nodes.section)]:
                section.replace_self([c for c in section.children if not isinstance(c, nodes.title)])


def _preamble(app: Sphinx, config: Config) -> None:
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + PREAMBLE
    config.latex_elements = elements


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _preamble, priority=700)
    app.connect("doctree-read", _mark_parts)
    app.add_post_transform(DropBibliographyChapter)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
