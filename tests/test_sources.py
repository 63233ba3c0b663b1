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


def test_only_a_page_where_a_split_is_possible_is_parsed_again(monkeypatch):
    """A split needs text on the lines just before and just after its comment lines; a page
    without such lines is not parsed, and on every page of the book and on the text above the
    check finds what a full parse finds."""
    from build_scripts import comments

    extensions = ["dollarmath", "colon_fence", "deflist"]
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "source").rglob("*.md"))]
    parser = comments._parser(extensions)
    assert [comments.split_paragraphs(t, extensions) for t in pages] == \
           [comments.split_paragraphs(t, extensions, parser=parser) for t in pages]
    assert comments.split_paragraphs("One\n% checked: a\n% checked: b\ntwo\n", extensions) == [2]

    def no_parse(_extensions):
        raise AssertionError("parsed a page where no comment line can split a paragraph")

    monkeypatch.setattr(comments, "_parser", no_parse)
    assert comments.split_paragraphs("Text.\n% checked: at its end\n\n% checked: alone\n\nMore text.\n", extensions) == []
