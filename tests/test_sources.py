"""The book passes the fast checks of its sources (``make check``); the catalogue of mistakes they
catch is tested in test_bad_input.py."""

from build_scripts import check_sources
from conftest import ROOT


def test_the_book_passes_the_fast_checks():
    assert check_sources.check(ROOT) == []


def test_an_annotation_splits_a_paragraph_only_between_two_of_its_lines():
    from build_scripts.comments import split_paragraphs

    extensions = ["dollarmath", "colon_fence", "deflist"]
    text = "\n".join([
        "One paragraph",                       # 1
        "% checked: splits it",                # 2
        "in two.",                             # 3
        "",
        "A paragraph that ends here.",         # 5
        "% checked: at its end",               # 6
        "",
        "% checked: between paragraphs",       # 8
        "",
        "```{math}",                           # 10
        ":label: x",
        "a = b",
        "% not Markdown",
        "c = d",
        "```",
        "",
        "````{prf:proof}",                     # 17
        ":label: p",
        "% checked: after the options",        # 19
        "A proof that",                        # 20
        "% checked: splits it too",            # 21
        "goes on.",
        "````",
    ])
    assert split_paragraphs(text, extensions) == [2, 21]
