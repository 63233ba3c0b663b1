"""Store the configuration as Sphinx compared it, so that an unchanged book rebuilds nothing.

On every run Sphinx compares the configuration read from ``conf.py`` with the one stored in the
pickled environment, and stores the live configuration object. Extensions and the theme then
fill in their defaults at ``builder-inited``, after the comparison: pydata-sphinx-theme
``html_permalinks_icon`` and keys of ``html_theme_options``, sphinx-book-theme
``html_sourcelink_suffix``, MyST the MathJax classes in ``mathjax3_config``, sphinx-copybutton,
sphinx-design and the themes their folders in ``html_static_path`` and ``templates_path``. The
stored configuration then never equals the next run's, and every run reports "The configuration
has changed (6 options: ...)".

This extension takes a copy of the values once every ``config-inited`` handler has run (the
values Sphinx compares), and, once every ``builder-inited`` handler has run, gives the
environment a configuration of its own that holds those values for the options changed in
between. The builder keeps the live configuration, with the extensions' defaults; only what is
stored for the next comparison changes.
"""

from __future__ import annotations

import copy

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util._serialise import stable_str

LAST = 10_000  # after every other handler of the event


def _as_compared(app: Sphinx, config: Config) -> None:
    app._pb_compared = {item.name: copy.deepcopy(item.value) for item in config}


def _store_as_compared(app: Sphinx) -> None:
    compared = app._pb_compared
    changed = {name for name, value in compared.items()
               if name in app.config and stable_str(app.config[name]) != stable_str(value)}
    if not changed:
        return
    stored = Config.__new__(Config)
    stored.__dict__.update(app.config.__dict__)
    for name in changed:
        stored.__dict__[name] = compared[name]
    app.env.config = stored


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _as_compared, priority=LAST)
    app.connect("builder-inited", _store_as_compared, priority=LAST)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
