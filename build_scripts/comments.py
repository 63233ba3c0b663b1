"""Source annotations: a comment line holds its annotation and nothing else.

Chapters carry annotations as MyST comment lines, ``% checked: Sec. 3.2, Eq. (4)`` or
``% unverified: <what would settle it>``. Everything after ``%`` on such a line is dropped from
both outputs, so prose that an author joins onto an annotation vanishes from the page without a
word. This extension reads every source and warns, with file and line, on a comment line whose
text goes on past the annotation as a sentence: a capitalised word followed by lowercase words,
outside quotes and parentheses, that does not begin a reference ("Sec.", "Table", ...).

:func:`hidden_prose` is the check itself; it also runs outside Sphinx on a list of lines.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

ANNOTATION = re.compile(r"^\s*%\s*[A-Za-z][\w -]*:\s*(?P<text>.*)$")
QUOTED = re.compile(r'"[^"]*"|“[^”]*”|\([^()]*\)|\[[^\]]*\]')
REFERENCE_WORDS = (
    "Sec|Secs|Section|Sections|Table|Tables|Figure|Figures|Fig|Figs|Eq|Eqs|Equation|Equations|App|"
    "Apps|Appendix|Appendices|Algorithm|Alg|Theorem|Thm|Lemma|Proposition|Prop|Definition|Corollary|"
    "Remark|Page|Pages|Abstract|Part|Chapter|Ch|Footnote|Listing"
)
SENTENCE = re.compile(
    r"[^\s;,:/(\-–]\s+(?!(?:" + REFERENCE_WORDS + r")\b)(?P<prose>[A-Z][a-z]+(?:\s+[a-z][\w'-]*){3,})"
)


def message(prose: str) -> str:
    """What an author is told about one hidden piece of prose."""
    return f"prose after a % annotation is hidden from the page ({prose[:40]!r}...): put it on its own line"


def hidden_prose(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, the hidden text) for every annotation line that goes on as prose."""
    found = []
    for number, line in enumerate(lines, start=1):
        annotation = ANNOTATION.match(line)
        if not annotation:
            continue
        text = annotation.group("text")
        while QUOTED.search(text):  # quotations and parenthesised remarks belong to the annotation
            text = QUOTED.sub(" ", text)
        prose = SENTENCE.search(text)
        if prose:
            found.append((number, prose.group("prose")))
    return found


def _check(app: Sphinx, docname: str, source: list[str]) -> None:
    for number, prose in hidden_prose(source[0].splitlines()):
        logger.warning(message(prose), location=(docname, number))


def setup(app: Sphinx) -> dict:
    app.connect("source-read", _check)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
