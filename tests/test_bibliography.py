"""Gate 5: the BibTeX files, checked with pybtex; and the check shown failing on broken files."""

from build_scripts import check_bib
from conftest import ROOT


def test_bibliography_is_complete_and_consistent():
    assert check_bib.check(ROOT) == []


def test_every_paper_has_a_complete_entry():
    entries = {key for _, key, _ in check_bib.entries_with_lines(ROOT / "bib" / "papers.bib")}
    assert set(check_bib.SLUGS) <= entries


def test_bib_check_catches_broken_files(minibook):
    bib = minibook / "bib" / "background.bib"
    bib.write_text(bib.read_text() + "\n@book{goodfellow2016deep,\n  title = {Again},\n  year = {2016},\n}\n"
                   "\n@article{nojournal2020,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2020},\n}\n")
    chapter = minibook / "source" / "papers" / "transformer.md"
    chapter.write_text(chapter.read_text().replace("{cite:t}`transformer`", "{cite:t}`missing2021`"))
    problems = "\n".join(check_bib.check(minibook))
    assert "bib/background.bib:7: duplicate key 'goodfellow2016deep'" in problems
    assert "entry 'nojournal2020' (article) lacks 'journal'" in problems
    assert "source/papers/transformer.md:4: cites 'missing2021'" in problems
    assert "the chapter does not cite its own paper 'transformer'" in problems
    assert "no entry for the paper 'gan'" in problems


def test_unparsable_bib_is_reported(minibook):
    (minibook / "bib" / "papers.bib").write_text("@article{broken,\n  title = {unclosed\n")
    assert any(p.startswith("bib/papers.bib:2: BibTeX syntax error") for p in check_bib.check(minibook)), check_bib.check(minibook)


def test_the_per_citation_backend_is_found_without_a_scan(monkeypatch):
    """build_scripts/bib_plugins.py: resolving a citation finds pybtex's plaintext backend
    among the plugins registered at run time, not by scanning the installed entry points."""
    import pybtex.plugin
    from pybtex.backends.plaintext import Backend

    from build_scripts import bib_plugins

    bib_plugins.setup(None)
    scans = []
    monkeypatch.setattr(pybtex.plugin, "entry_points", lambda **kw: scans.append(kw) or [])
    assert pybtex.plugin.find_plugin(*bib_plugins.PER_CITATION) is Backend
    assert scans == []
