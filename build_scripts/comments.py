"""Source annotations: a comment line holds its annotation and nothing else.

Chapters carry annotations as MyST comment lines, ``% checked: Sec. 3.2, Eq. (4)`` or
``% unverified: <what would settle it>``. Everything after ``%`` on such a line is dropped from
both outputs, so prose that an author joins onto an annotation vanishes from the page without a
word. This extension reads every source and warns, with file and line, on a comment line whose
text goes on past the annotation as a sentence: a capitalised word followed by lowercase words,
outside quotes and parentheses, that does not begin a reference ("Sec.", "Table", ...).

:func:`hidden_prose` is the check itself; it also runs outside Sphinx on a list of lines.

A comment line also ends a paragraph: text on the line after it starts a new one. So an annotation
belongs between paragraphs or at the end of one, and :func:`split_paragraphs` finds those that
cut a paragraph in two (text on the lines just before and just after), in directives' bodies too.
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


SPLIT = "this comment line splits a paragraph in two (MyST ends a paragraph at a comment): move it to the end of the paragraph"
NOT_MARKDOWN = {"math", "code", "code-block", "sourcecode", "plot", "raw", "literalinclude"}  # bodies that are not Markdown
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}")
OPTION = re.compile(r"^:[\w-]+:")


def _parser(extensions: list[str]):
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


COMMENT = re.compile(r"^\s*%")


def _may_split(lines: list[str]) -> bool:
    """Whether some run of comment lines has text on the lines just before and just after it, which
    a split needs: a page without one (most pages) is not parsed again."""
    before = ""  # the last line before the current run of comment lines
    for i, line in enumerate(lines):
        if not COMMENT.match(line):
            before = line
        elif before.strip() and i + 1 < len(lines) and lines[i + 1].strip() and not COMMENT.match(lines[i + 1]):
            return True
    return False


def split_paragraphs(text: str, extensions: list[str], first_line: int = 1, parser=None) -> list[int]:
    """The line numbers (``first_line`` being the number of the first) of the comment lines that
    split a paragraph: text just before them and just after, no blank line between."""
    if parser is None and not _may_split(text.split("\n")):
        return []
    parser = parser or _parser(extensions)
    tokens = parser.parse(text)
    found = []
    for i, token in enumerate(tokens):
        if token.type == "myst_line_comment" and 2 <= i < len(tokens) - 1:
            before, content, after = tokens[i - 1], tokens[i - 2], tokens[i + 1]
            if (before.type == "paragraph_close" and after.type == "paragraph_open" and before.level == after.level
                    and content.map and content.map[1] == token.map[0] and after.map[0] == token.map[1]):
                found.append(first_line + token.map[0])
        elif token.type in ("fence", "colon_fence") and token.map and (name := DIRECTIVE.match(token.info.strip())):
            if name.group("name") not in NOT_MARKDOWN:
                body = token.content.split("\n")
                for n, line in enumerate(body):  # the options are the directive's, not Markdown
                    if not OPTION.match(line):
                        break
                    body[n] = ""
                found += split_paragraphs("\n".join(body), extensions, first_line + token.map[0] + 1, parser)
    return found


def _check(app: Sphinx, docname: str, source: list[str]) -> None:
    for number, prose in hidden_prose(source[0].splitlines()):
        logger.warning(message(prose), location=(docname, number))
    if app.env.doc2path(docname).suffix == ".md":
        for number in split_paragraphs(source[0], app.config.myst_enable_extensions):
            logger.warning(SPLIT, location=(docname, number))


def setup(app: Sphinx) -> dict:
    app.connect("source-read", _check)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
