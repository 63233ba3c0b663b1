"""The HTML theme's templates compiled once, not once a build.

Sphinx compiles every Jinja template the theme uses in each build that writes a page; a rebuild
always writes a few (the general index, the proofs' index, the search page), and compiling the
theme's templates is a tenth of a rebuild with nothing changed. Jinja's bytecode cache keeps the
compiled templates in ``templates/`` beside the doctrees; a template whose source has changed, or
a different Jinja or Python, is compiled again (Jinja checks both before it uses an entry).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx

FOLDER = "templates"  # beside the doctrees


def _use_cache(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)  # HTML builders have a template bridge
    environment = getattr(templates, "environment", None)
    if environment is None:
        return
    folder = Path(app.doctreedir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _use_cache)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
