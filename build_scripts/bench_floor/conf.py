"""The benchmark's floor: the book's sources built by bare Sphinx.

Only what the sources need to parse: MyST with the book's syntax extensions, Sphinx's math, the
book's theme and numbering, and :mod:`standins` for the book's own directives and roles. What the
book's build costs on top of this is what its extensions cost (``make bench``).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

project = "Paper Breakdowns"
author = "The Paper Breakdowns authors"
root_doc = "index"
extensions = ["myst_parser", "sphinx.ext.mathjax", "standins"]

myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_dmath_double_inline = True
myst_heading_anchors = 3

numfig = True
numfig_secnum_depth = 1
math_numfig = True
math_numsep = "."
math_eqref_format = "Eq. ({number})"

html_theme = "sphinx_book_theme"
html_title = "Paper Breakdowns"
html_copy_source = False
html_last_updated_fmt = None
