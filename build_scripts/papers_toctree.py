"""Fill the Part I toctree with the chapters that exist, in the fixed order of the papers.

``source/index.md`` holds the line ``<papers-in-order>`` inside the Papers toctree; at read time
it becomes one entry per existing ``papers/<slug>.md``, ordered as in :mod:`build_scripts.papers`.
The file on disk is never changed. A page in ``papers/`` that is not a paper of the table is an
error at its first line.
"""

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from build_scripts.papers import SLUGS

logger = logging.getLogger(__name__)

PLACEHOLDER = "<papers-in-order>"


def existing_chapters(srcdir: Path) -> list[str]:
    return [f"papers/{slug}" for slug in SLUGS if (srcdir / "papers" / f"{slug}.md").exists()]


def _fill(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname.startswith("papers/") and docname[len("papers/"):] not in SLUGS:
        logger.warning("not a paper of the book: a chapter's file name is a slug of build_scripts/papers.py",
                       location=(docname, 1))
    if docname != app.config.root_doc or PLACEHOLDER not in source[0]:
        return
    source[0] = source[0].replace(PLACEHOLDER, "\n".join(existing_chapters(Path(app.srcdir))))


def setup(app: Sphinx) -> dict:
    app.connect("source-read", _fill)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
