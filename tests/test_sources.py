"""The book passes the fast checks of its sources (``make check``); the catalogue of mistakes they
catch is tested in test_bad_input.py."""

from build_scripts import check_sources
from conftest import ROOT


def test_the_book_passes_the_fast_checks():
    assert check_sources.check(ROOT) == []
