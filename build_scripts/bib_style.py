"""The bibliography's style ``book``: pybtex's ``plain``, each entry formatted once.

sphinxcontrib-bibtex formats every entry of the bibliography on every run, before it can tell
which pages changed, and twice while citations carry their entry as a tooltip. This style gives
the same result as ``plain`` but keeps what it formatted, by the entry's whole content and its
label, in ``bibtex-formatted.pickle`` beside the doctrees: a run formats only the entries that
are new or edited, and each of them once.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pybtex
import pybtex.plugin
from pybtex.style.formatting.plain import Style as Plain
from sphinx.application import Sphinx

NAME = "book"
CACHE = "bibtex-formatted.pickle"
VERSION = (1, pybtex.__version__)  # what the formatted text depends on besides the entry


class _Formatted:
    """The entries formatted so far: a dictionary, read from and written to a build's doctrees."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.items: dict = {}
        self.used: set = set()
        self.dirty = False

    def open(self, path: Path) -> None:
        self.path, self.items, self.used, self.dirty = path, {}, set(), False
        try:
            version, items = pickle.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError, ImportError):
            return
        if version == VERSION:
            self.items = items

    def save(self) -> None:
        """Write the entries of this run (an edited entry's old text is dropped), if any is new."""
        if self.path is not None and self.dirty:
            items = {key: value for key, value in self.items.items() if key in self.used}
            tmp = self.path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps((VERSION, items), pickle.HIGHEST_PROTOCOL))
            tmp.replace(self.path)
            self.dirty = False


FORMATTED = _Formatted()


def content(entry) -> tuple:
    """Everything of an entry its formatted text can depend on: type, fields and persons."""
    persons = tuple((role, tuple(str(person) for person in people)) for role, people in entry.persons.items())
    return entry.key, entry.type, tuple(entry.fields.items()), persons


class Style(Plain):
    def format_entry(self, label, entry, bib_data=None):
        key = (label, *content(entry))
        FORMATTED.used.add(key)
        formatted = FORMATTED.items.get(key)
        if formatted is None:
            formatted = super().format_entry(label, entry, bib_data)
            FORMATTED.items[key] = formatted
            FORMATTED.dirty = True
        return formatted


def _open(app: Sphinx) -> None:
    FORMATTED.open(Path(app.doctreedir) / CACHE)


def _save(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        FORMATTED.save()


def setup(app: Sphinx) -> dict:
    pybtex.plugin.register_plugin("pybtex.style.formatting", NAME, Style)
    app.connect("builder-inited", _open)
    app.connect("build-finished", _save)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
