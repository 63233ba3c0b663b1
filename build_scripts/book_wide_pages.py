"""Pages that show something gathered from the whole book, written again only when it changes.

The front page's cards and the list of exercises are filled in when a page is written, from what
the environment holds of every page. Such a page need not be read again when another page changes,
only written again when what it shows changed. :class:`BookWidePages` keeps a digest of what its
pages show, per builder, beside the doctrees; a build whose digest differs writes them again
(``env-get-updated``), and the digest is kept once a build has written them without error.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx


class BookWidePages:
    """``shown(app, env)`` is what the pages show, as JSON-serialisable data; ``pages(env)`` the
    pages that show it."""

    def __init__(self, name: str, shown: Callable, pages: Callable) -> None:
        self.name, self.shown, self.pages = name, shown, pages
        self.digest: str | None = None

    def _stamp(self, app: Sphinx) -> Path:
        return Path(app.doctreedir) / f"{self.name}.{app.builder.name}.sha256"

    def outdated(self, app: Sphinx, env) -> list[str]:
        data = json.dumps(self.shown(app, env), sort_keys=True, ensure_ascii=False)
        self.digest = hashlib.sha256(data.encode()).hexdigest()
        stamp = self._stamp(app)
        if stamp.exists() and stamp.read_text(encoding="utf-8") == self.digest:
            return []
        return sorted(self.pages(env) & env.found_docs)

    def written(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is None and self.digest is not None:
            self._stamp(app).write_text(self.digest, encoding="utf-8")
        self.digest = None

    def connect(self, app: Sphinx) -> None:
        # After the numbering (Sphinx's collectors, at the default priority) the pages may show.
        app.connect("env-get-updated", self.outdated, priority=900)
        app.connect("build-finished", self.written)
