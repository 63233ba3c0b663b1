"""A page that cites a bibliography entry is rewritten when the entry is edited.

sphinxcontrib-bibtex rebuilds the bibliography's page when a ``.bib`` file changes, but a page that
cites an entry, whose citations carry the entry's label and its text as a tooltip, is rewritten
only when its own source changes: an incremental build would leave it stale. This keeps a digest
of every entry in the environment and, once the sources are read, has the pages citing an entry
whose digest changed written again.
"""

from __future__ import annotations

import hashlib

from sphinx.application import Sphinx

from build_scripts.bib_style import content


def _digest(entry) -> str:
    return hashlib.sha256(repr(content(entry)).encode()).hexdigest()


def _citers_of_edited_entries(app: Sphinx, env) -> list[str]:
    domain = env.get_domain("cite")
    digests = {key: _digest(entry) for key, entry in domain.bibdata.data.entries.items()}
    before = getattr(env, "bib_entry_digests", None)
    env.bib_entry_digests = digests
    if before is None:
        return []
    edited = {key for key in digests.keys() | before.keys() if digests.get(key) != before.get(key)}
    return sorted({ref.docname for ref in domain.citation_refs if any(t.key in edited for t in ref.targets)})


def setup(app: Sphinx) -> dict:
    app.connect("env-get-updated", _citers_of_edited_entries)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
