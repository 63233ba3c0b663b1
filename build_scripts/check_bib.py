"""Check the BibTeX files: they parse, keys are unique across files, each entry has the fields its
type requires, every cited key exists, and every paper of the book has its entry, cited by its
chapter once the chapter exists.

Usage: ``python -m build_scripts.check_bib [ROOT]`` (ROOT holds ``bib/`` and ``source/``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pybtex.errors
from pybtex.database import parse_file
from pybtex.scanner import PybtexError

from build_scripts.papers import SLUGS

REQUIRED = {
    "article": ("author", "title", "journal", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "book": ("title", "publisher", "year"),
    "misc": ("author", "title", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "inbook": ("title", "publisher", "year"),
    "unpublished": ("author", "title", "year"),
}
ENTRY = re.compile(r"^\s*@(?P<type>\w+)\s*\{\s*(?P<key>[^,\s]+)\s*,", re.M)
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`(?P<keys>[^`]+)`")


def entries_with_lines(path: Path) -> list[tuple[str, str, int]]:
    """(type, key, line) of every entry, by a plain scan (pybtex does not keep line numbers)."""
    text = path.read_text(encoding="utf-8")
    return [
        (m.group("type").lower(), m.group("key"), text.count("\n", 0, m.start()) + 1)
        for m in ENTRY.finditer(text)
        if m.group("type").lower() not in {"comment", "string", "preamble"}
    ]


def citations(source: Path) -> list[tuple[str, Path, int]]:
    """(key, file, line) of every ``{cite}`` in the Markdown sources."""
    out = []
    for page in sorted(source.rglob("*.md")):
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            for match in CITE.finditer(line):
                out.extend((key.strip(), page, number) for key in match.group("keys").split(","))
    return out


def _parse(path: Path, rel: Path, problems: list[str]):
    """The parsed file, or None with a syntax error reported at its line and entry."""
    try:
        return parse_file(str(path), bib_format="bibtex")
    except PybtexError as err:
        if "repeated bibliography entry" in str(err):
            pybtex.errors.set_strict_mode(False)  # the repeated key is reported with its line
            try:
                return parse_file(str(path), bib_format="bibtex")
            finally:
                pybtex.errors.set_strict_mode(True)
        line = getattr(err, "lineno", None)
        message = re.sub(r"^syntax error in line \d+: ", "", str(err))
        starts = [(l, k) for _, k, l in entries_with_lines(path) if line is None or l <= line]
        entry = f" (in the entry {starts[-1][1]!r} that starts at line {starts[-1][0]})" if starts else ""
        problems.append(f"{rel}:{line or 1}: BibTeX syntax error: {message}{entry}: fix the entry")
        return None


def syntax_and_keys(root: Path) -> list[str]:
    """The BibTeX files parse, keys are unique across files, entries have their required fields."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted((root / "bib").glob("*.bib")):
        rel = path.relative_to(root)
        lines = {}
        for _kind, key, line in entries_with_lines(path):
            if key in seen:
                problems.append(f"{rel}:{line}: duplicate key {key!r} (also at {seen[key]}): remove one or rename it")
            seen.setdefault(key, f"{rel}:{line}")
            lines.setdefault(key, line)
        data = _parse(path, rel, problems)
        if data is None:
            continue
        for key, entry in data.entries.items():
            fields = {f.lower() for f in entry.fields} | {r.lower() for r in entry.persons}
            for field in REQUIRED.get(entry.type.lower(), ("title", "year")):
                if field not in fields:
                    problems.append(f"{rel}:{lines.get(key, '?')}: entry {key!r} ({entry.type}) lacks {field!r}")
    return problems


def defined_keys(root: Path) -> set[str]:
    return {key for path in (root / "bib").glob("*.bib") for _, key, _ in entries_with_lines(path)}


def check(root: Path) -> list[str]:
    problems = syntax_and_keys(root)
    seen = defined_keys(root)
    papers_bib = root / "bib" / "papers.bib"
    paper_keys = {key for _, key, _ in entries_with_lines(papers_bib)} if papers_bib.exists() else set()
    cited = citations(root / "source")
    for key, page, line in cited:
        if key not in seen:
            problems.append(f"{page.relative_to(root)}:{line}: cites {key!r}, which no .bib file defines")
    for slug in SLUGS:
        chapter = root / "source" / "papers" / f"{slug}.md"
        if slug not in paper_keys:
            problems.append(f"bib/papers.bib: no entry for the paper {slug!r}")
        elif chapter.exists() and not any(k == slug and p == chapter for k, p, _ in cited):
            problems.append(f"{chapter.relative_to(root)}: the chapter does not cite its own paper {slug!r}")
    return problems


if __name__ == "__main__":
    found = check(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
    for line in found:
        print(line, file=sys.stderr)
    sys.exit(1 if found else 0)
