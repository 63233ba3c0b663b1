"""Results kept across clean builds, each under a digest of everything it depends on.

Adds the configuration value ``build_cache``: a folder (absolute, or relative to the
configuration directory; ``None`` keeps nothing). Two kinds of work depend only on inputs that
can be named, and are kept there:

* a figure's files, under a digest of its script, the formats and matplotlib's settings and
  versions (``figures.py``);
* typeset formulas, under a digest of the renderer, MathJax's version and the macros, each by
  its TeX (``typeset_math.py``).

``make clean`` removes ``build/`` and keeps this folder, so a clean build draws and typesets only
what no earlier build did. Since an entry is found only by the digest of its inputs, an edited
script or formula is never served an old result, and removing the folder is always safe: the
next build does the work again. Entries unused for ``MAX_AGE_DAYS`` are removed whenever a new
one is written. Every write goes to a temporary name first and is then renamed, so that a build
that stops half-way, or two builds at once, never leave a half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from sphinx.application import Sphinx

MAX_AGE_DAYS = 60


def folder(app: Sphinx, kind: str) -> Path | None:
    """The cache's folder for one kind of result, or ``None`` when the book keeps none."""
    base = app.config.build_cache
    if not base:
        return None
    return Path(app.confdir, base) / kind


def digest(*parts) -> str:
    """A digest of JSON-like parts (anything else by its ``repr``)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=repr).encode()).hexdigest()


def today() -> int:
    return int(time.time() // 86400)


def _old(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > MAX_AGE_DAYS * 86400
    except OSError:
        return False


def _prune(kind_folder: Path) -> None:
    for entry in kind_folder.iterdir():
        if _old(entry):
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)


# --- files: one folder an entry -------------------------------------------------------------------

def restore(kind_folder: Path, key: str, dest: Path) -> bool:
    """Copy the files kept under ``key`` into ``dest``; false when there are none."""
    entry = kind_folder / key
    files = sorted(entry.iterdir()) if entry.is_dir() else []
    if not files:
        return False
    dest.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copyfile(file, dest / file.name)  # a new modification time: newer than the script
    os.utime(entry)  # used today
    return True


def keep(kind_folder: Path, key: str, files: list[Path]) -> None:
    """Keep copies of ``files`` under ``key`` (nothing when ``files`` is empty)."""
    entry = kind_folder / key
    if not files or entry.is_dir():
        return
    kind_folder.mkdir(parents=True, exist_ok=True)
    _prune(kind_folder)
    tmp = Path(tempfile.mkdtemp(dir=kind_folder, prefix=".new-"))
    for file in files:
        shutil.copyfile(file, tmp / file.name)
    try:
        tmp.rename(entry)
    except OSError:  # written meanwhile by another build
        shutil.rmtree(tmp, ignore_errors=True)


# --- a table: one JSON file ------------------------------------------------------------------------

def read_table(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_table(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _prune(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".new-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def setup(app: Sphinx) -> dict:
    app.add_config_value("build_cache", None, "", types=[str, type(None)])
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
