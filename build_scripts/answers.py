"""The ``{answer}`` role: the final answer of an exercise's solution, typeset and machine-readable.

Written inside a ``{solution}`` block as ``{answer}`TeX <expression>```: the reader sees the TeX as
math; the Python expression after it, in angle brackets, is what ``tests/exercises/`` evaluate and
compare with their own computation. A number is an expression, and a closed form may use variables,
which the test binds, the functions of :mod:`math` and ``abs``, ``min`` and ``max``::

    **Answer.** {answer}`\\approx 6.31 \\times 10^{7} <63.1e6>`
    **Answer.** {answer}`D^*(x) = \\frac{p}{p + q} <p / (p + q)>`

The build fails, at the role's line, on an expression that is not valid Python, on an answer outside
a solution, and on a call of anything but those functions.
"""

from __future__ import annotations

import ast
import math
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

logger = logging.getLogger(__name__)

#: Functions an expression may call besides math's.
BUILTINS = {"abs": abs, "min": min, "max": max}

#: ``TeX <expression>``: the expression is the last bracketed part.
SYNTAX = re.compile(r"^(?P<tex>.*\S)\s+<(?P<expr>[^<>]+)>$", re.S)


def parse(text: str) -> tuple[str, str]:
    """Split the role's text into its TeX and its expression; ``ValueError`` says what is wrong."""
    match = SYNTAX.match(text.strip())
    if not match:
        raise ValueError(f"an answer is written `TeX <expression>`, not {text!r}")
    tex, expr = match["tex"], match["expr"].strip()
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as err:
        raise ValueError(f"the expression {expr!r} is not valid Python: {err.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) or (isinstance(node, ast.Name) and node.id.startswith("_")):
            raise ValueError(f"the expression {expr!r} may use only numbers, variables and math's functions")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name)
                                               and (hasattr(math, node.func.id) or node.func.id in BUILTINS)):
            raise ValueError(f"the expression {expr!r} calls something that is neither abs, min, max nor a function of math")
    return tex, expr


def evaluate(expr: str, **variables: float) -> float | tuple:
    """The value of an answer's expression, with math's functions and constants and ``variables``."""
    names = {**{name: getattr(math, name) for name in dir(math) if not name.startswith("_")}, **BUILTINS}
    return eval(compile(ast.parse(expr, mode="eval"), "<answer>", "eval"), {"__builtins__": {}}, {**names, **variables})


class answer_node(nodes.Inline, nodes.TextElement):
    """Marks the answer; the math inside it is what the reader sees."""


def visit_answer(self, node: answer_node) -> None:
    pass


def depart_answer(self, node: answer_node) -> None:
    pass


class AnswerRole(SphinxRole):
    def run(self):
        try:
            tex, expr = parse(self.text)
        except ValueError as err:
            msg = self.inliner.reporter.error(str(err), line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        node = answer_node(self.rawtext, "", nodes.math(tex, tex), expression=expr)
        self.set_source_info(node)
        return [node], []


def _check_placement(app: Sphinx, doctree: nodes.document) -> None:
    from sphinx_exercise.nodes import solution_node

    for node in doctree.findall(answer_node):
        parent = node.parent
        while parent is not None and not isinstance(parent, solution_node):
            parent = parent.parent
        if parent is None:
            logger.error("an {answer} belongs inside a {solution} block", location=node)


def setup(app: Sphinx) -> dict:
    app.add_node(answer_node, **{fmt: (visit_answer, depart_answer) for fmt in ("html", "latex", "text", "man", "texinfo")})
    app.add_role("answer", AnswerRole())
    app.connect("doctree-read", _check_placement)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
