"""What ``make check`` has already seen pass, so that a run with nothing changed renders nothing.

Rendering every equation in MathJax and compiling it in LaTeX is most of the time of
``make check``. Each snippet that passed is remembered in ``build/check-cache.json`` under a
hash of the snippet and of everything its result depends on (the book's macros, the LaTeX
preamble, the MathJax check script): a later run renders only the snippets it has not seen pass.
Failures are never remembered, and deleting ``build/`` starts over.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


class Passed:
    """The snippets of one kind (e.g. ``"mathjax"``) seen passing, for one set of dependencies."""

    def __init__(self, root: Path, kind: str, depends_on: str) -> None:
        self.path = root / "build" / "check-cache.json"
        self.kind = kind
        self.salt = hashlib.sha256(depends_on.encode()).hexdigest()
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8")).get(kind, {})
        except (OSError, ValueError):
            stored = {}
        self.seen = set(stored.get("passed", [])) if stored.get("salt") == self.salt else set()

    def key(self, snippet: str) -> str:
        return hashlib.sha256((self.salt + snippet).encode()).hexdigest()[:32]

    def unseen(self, snippets: list[str]) -> list[int]:
        """The indices of the snippets not yet seen passing."""
        return [i for i, s in enumerate(snippets) if self.key(s) not in self.seen]

    def save(self, passed: list[str]) -> None:
        """Remember ``passed``, and forget what the sources no longer hold."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        data[self.kind] = {"salt": self.salt, "passed": sorted({self.key(s) for s in passed})}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data) + "\n", encoding="utf-8")
