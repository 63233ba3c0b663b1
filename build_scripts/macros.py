"""Book-wide math macros, defined once, for the HTML's MathJax and for the LaTeX preamble.

A page never defines a macro itself: both outputs read this table, so they cannot drift apart.
"""

from sphinx.application import Sphinx
from sphinx.config import Config

#: name -> (body, number of arguments)
MACROS: dict[str, tuple[str, int]] = {
    "R": (r"\mathbb{R}", 0),
    "E": (r"\mathbb{E}", 0),
    "Normal": (r"\mathcal{N}", 0),
    "KL": (r"D_{\mathrm{KL}}", 0),
    "JS": (r"D_{\mathrm{JS}}", 0),
    "softmax": (r"\operatorname{softmax}", 0),
    "argmax": (r"\operatorname*{arg\,max}", 0),
    "argmin": (r"\operatorname*{arg\,min}", 0),
    "diag": (r"\operatorname{diag}", 0),
    "tr": (r"\operatorname{tr}", 0),
    "rank": (r"\operatorname{rank}", 0),
    "sign": (r"\operatorname{sign}", 0),
    "Var": (r"\operatorname{Var}", 0),
    "Cov": (r"\operatorname{Cov}", 0),
    "dd": (r"\mathrm{d}", 0),
    "bigO": (r"\mathcal{O}", 0),
    "norm": (r"\left\lVert #1 \right\rVert", 1),
    "abs": (r"\left\lvert #1 \right\rvert", 1),
    "ip": (r"\left\langle #1, #2 \right\rangle", 2),
    "bm": (r"\boldsymbol{#1}", 1),
}


def mathjax_macros() -> dict[str, str | list]:
    """The table in MathJax 3's ``tex.macros`` form."""
    return {name: [body, nargs] if nargs else body for name, (body, nargs) in MACROS.items()}


def latex_preamble() -> str:
    """The table as ``\\newcommand`` lines; a clash with a LaTeX command fails the PDF build."""
    lines = []
    for name, (body, nargs) in MACROS.items():
        args = f"[{nargs}]" if nargs else ""
        lines.append(rf"\newcommand{{\{name}}}{args}{{{body}}}")
    return "\n".join(lines)


def _install(app: Sphinx, config: Config) -> None:
    elements = dict(config.latex_elements)
    elements["preamble"] = "\\usepackage{amsmath,amssymb,amsbsy}\n" + latex_preamble() + "\n" + elements.get(
        "preamble", ""
    )
    config.latex_elements = elements


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _install, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
