"""pybtex's plaintext backend, looked up once a build instead of once a citation.

pybtex finds a plugin by scanning the entry points of every installed package, and
sphinxcontrib-bibtex looks up the plaintext backend for every citation it resolves: about 7 ms a
citation, seconds a build. pybtex looks among the plugins registered at run time before it
scans, so the backend the scan finds is registered here. (Every other plugin is looked up a few
times a build.)
"""

from __future__ import annotations

import pybtex.plugin
from sphinx.application import Sphinx

PER_CITATION = ("pybtex.backends", "plaintext")  # looked up by each citation's resolution


def setup(app: Sphinx) -> dict:
    group, name = PER_CITATION
    pybtex.plugin.register_plugin(group, name, pybtex.plugin.find_plugin(group, name), force=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
