"""Sphinx configuration of Paper Breakdowns. Declarative only: logic lives in build_scripts/."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "Paper Breakdowns"
author = "The Paper Breakdowns authors"
copyright = "2026, The Paper Breakdowns authors"
root_doc = "index"

extensions = [
    "myst_parser",
    "build_scripts.bib_style",
    "sphinxcontrib.bibtex",
    "build_scripts.bib_plugins",
    "build_scripts.bib_citers",
    "sphinx_proof",
    "sphinx_design",
    "sphinx_togglebutton",
    "sphinx_exercise",
    "sphinx_copybutton",
    "sphinx_tippy",
    "sphinx_multitoc_numbering",
    "build_scripts.comments",
    "build_scripts.figures",
    "build_scripts.macros",
    "build_scripts.typeset_math",
    "build_scripts.lazy_previews",
    "build_scripts.papers_toctree",
    "build_scripts.equations",
    "build_scripts.answers",
    "build_scripts.exercises",
    "build_scripts.front_page",
    "build_scripts.static_files",
    "build_scripts.accessibility",
    "build_scripts.latex_book",
    "build_scripts.stored_config",
    "build_scripts.template_cache",
    "build_scripts.numbering",
]

# --- MyST -------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_dmath_double_inline = True
myst_heading_anchors = 3

# --- Numbering: chapters, figures and equations numbered per chapter ---------
numfig = True
numfig_secnum_depth = 1
math_numfig = True
math_numsep = "."
math_eqref_format = "Eq. ({number})"
numfig_format = {"figure": "Figure %s", "table": "Table %s", "code-block": "Listing %s"}

# --- Citations -----------------------------------------------------------------
bibtex_bibfiles = ["bib/papers.bib", "bib/background.bib"]  # relative to this file
bibtex_default_style = "book"  # pybtex's plain, formatted once (build_scripts/bib_style.py)
bibtex_reference_style = "author_year"

# --- Theorem-like blocks -----------------------------------------------------
proof_uppercase_first_letter = True

# --- Figures: code in source/figures, SVG for HTML, PDF for LaTeX -------------
plot_basedir = "source/figures"  # relative to this file
plot_formats = ["svg", "pdf"]
plot_html_show_source_link = False
plot_html_show_formats = False
plot_include_source = False
plot_rcparams = {"figure.figsize": (6.4, 3.6), "font.size": 10, "svg.hashsalt": "paper-breakdowns"}

# --- Kept across clean builds: drawn figures and typeset formulas, by digest ---
build_cache = str(Path(__file__).parent / ".cache")  # make clean keeps it; build_scripts/build_cache.py

# --- HTML ----------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Paper Breakdowns"
html_theme_options = {
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navbar_persistent": [],  # the sidebar has the search field: no second one in a header above it
}
html_sidebars = {
    "**": ["navbar-logo.html", "icon-links.html", "search-button-field.html", "download-pdf.html", "sbt-sidebar-nav.html"]
}
templates_path = [str(Path(__file__).parent / "build_scripts" / "templates")]
html_css_files = ["book.css"]  # build_scripts/static/
html_favicon = str(Path(__file__).parent / "build_scripts" / "static" / "favicon.svg")
html_last_updated_fmt = None
# Browser libraries installed from npm by the Makefile (build_scripts/js), served by the site itself.
_JS = Path(__file__).parent / "build_scripts" / "js" / "node_modules"
html_static_path = [str(_JS / "@popperjs" / "core" / "dist" / "umd" / "popper.min.js"),
                    str(_JS / "tippy.js" / "dist" / "tippy-bundle.umd.min.js")]

# --- Hover previews of references (equations, theorems, sections, citations) -------
tippy_js = ("popper.min.js", "tippy-bundle.umd.min.js")
tippy_enable_mathjax = False  # the math of a preview is typeset already
tippy_enable_wikitips = False
tippy_enable_doitips = False
tippy_anchor_parent_selector = "article.bd-article"
tippy_props = {"placement": "auto-start", "maxWidth": 600, "interactive": False}
html_copy_source = False

# Math is typeset when the site is built (build_scripts/typeset_math.py): pages load no math engine.
html_math_renderer = "typeset"

# --- LaTeX / PDF -------------------------------------------------------------
latex_engine = "pdflatex"
latex_documents = [
    (root_doc, "paper-breakdowns.tex", "Paper Breakdowns", author, "manual", False),
]
latex_toplevel_sectioning = "chapter"
latex_show_urls = "no"
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "fncychap": "",
    "printindex": r"\footnotesize\raggedright\printindex",
}

# --- Quality ---------------------------------------------------------------------
nitpicky = True
suppress_warnings = []
