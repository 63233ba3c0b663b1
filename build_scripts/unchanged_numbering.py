"""Section and figure numbers are not recomputed by a build that reads and removes no page.

Sphinx numbers the sections and figures of the whole book on every build; with ``numfig`` on, it
unpickles every page's doctree to do so (over a third of a rebuild with nothing changed). Both
numberings depend only on the pages' doctrees and the configuration, and a change to either makes
Sphinx read the pages concerned; so when a build reads none and removes none, the numbers are
those the environment already holds. This replaces Sphinx's toctree collector with one that skips
the renumbering then, and otherwise does exactly what Sphinx's does.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment.collectors import toctree


class TocTreeCollector(toctree.TocTreeCollector):
    def get_updated_docs(self, app: Sphinx, env) -> list[str]:
        if not getattr(app, "_pages_touched", True):
            return []
        return super().get_updated_docs(app, env)


def _start(app: Sphinx) -> None:
    app._pages_touched = False


def _reading(app: Sphinx, env, docnames: list[str]) -> None:
    if docnames:
        app._pages_touched = True


def _purged(app: Sphinx, env, docname: str) -> None:
    app._pages_touched = True


def setup(app: Sphinx) -> dict:
    for listener in list(app.events.listeners.get("env-get-updated", [])):
        collector = getattr(listener.handler, "__self__", None)
        if type(collector) is toctree.TocTreeCollector:
            collector.disable(app)
    app.add_env_collector(TocTreeCollector)
    app.connect("builder-inited", _start)
    app.connect("env-before-read-docs", _reading, priority=900)  # after any extension changed the list
    app.connect("env-purge-doc", _purged)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
