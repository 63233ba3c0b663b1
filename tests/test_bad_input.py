"""The catalogue of author mistakes (CONTRIBUTING.md, "When something is wrong"): each is made on a
fresh copy of the small fixture book, and the build or the fast check (``make check``) must stop
with a message that names the source file and line. A failed build leaves the sources as they were."""

import re
import shutil

import pytest

from build_scripts import check_sources
from conftest import append, assert_names, build, failing_build, lines_of

CHAPTER = "source/papers/transformer.md"
OTHER = "source/papers/flashattention.md"


def check_output(book) -> str:
    return "\n".join(check_sources.check(book))


def display(label, tex):
    return f"\n```{{math}}\n:label: {label}\n:desc: d.\n\n{tex}\n```\n"


# --- caught by the build ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["ref", "numref", "prf:ref"])
def test_reference_to_a_missing_target(minibook, role):
    append(minibook, CHAPTER, f"\nSee {{{role}}}`transformer-nowhere`.\n")
    assert_names(failing_build(minibook), CHAPTER, lines_of(minibook, CHAPTER), "transformer-nowhere")


def test_duplicate_equation_label_across_chapters(minibook):
    append(minibook, OTHER, display("transformer-attention", "x = y").replace(":label: transformer-", ":label: transformer-"))
    output = failing_build(minibook)
    assert "transformer-attention" in output and ("duplicate" in output or "prefix" in output), output[-3000:]
    assert_names(output, OTHER, None, "transformer-attention")


@pytest.mark.parametrize(
    "text, message",
    [
        ("\n```{admonitoin} Typo\nText.\n```\n", "admonitoin"),
        ("\nA {ciet:p}`transformer` typo.\n", "ciet:p"),
        ("\n```{math}\n:label: transformer-opt\n:desc: d.\n:topcs: softmax\n\nx = 1\n```\n", "topcs"),
    ],
    ids=["directive", "role", "option"],
)
def test_unknown_directive_role_or_option(minibook, text, message):
    append(minibook, CHAPTER, text)
    assert_names(failing_build(minibook), CHAPTER, None, message)


def test_chapter_outside_the_book(minibook):
    shutil.copy(minibook / CHAPTER, minibook / "source/papers/notapaper.md")
    (minibook / "source/papers/notapaper.md").write_text("# Not a paper\n\nText.\n")
    assert_names(failing_build(minibook), "source/papers/notapaper.md", 1, "not a paper of the book")


def test_chapter_listed_twice(minibook):
    index = minibook / "source/index.md"
    index.write_text(index.read_text().replace("<papers-in-order>", "<papers-in-order>\npapers/transformer"))
    assert "papers/transformer" in failing_build(minibook)


def test_figure_script_that_fails(minibook):
    (minibook / "source/figures/transformer_softmax.py").write_text("raise ValueError('no data')\n")
    assert_names(failing_build(minibook), CHAPTER, None, "figure script transformer_softmax.py failed: ValueError: no data")


def test_figure_script_that_draws_nothing(minibook):
    (minibook / "source/figures/transformer_softmax.py").write_text("x = 1\n")
    assert_names(failing_build(minibook), CHAPTER, None, "figure script transformer_softmax.py drew no figure")


def exercise(answer_line, solution_of="ex-transformer-x"):
    return ("\n````{exercise} A question\n:label: ex-transformer-x\n:class: derivation\n\nQ.\n````\n\n"
            f"````{{solution}} {solution_of}\n:class: dropdown\n\nWorked.\n\n{answer_line}\n````\n")


@pytest.mark.parametrize("answer, message", [
    ("{answer}`42`", "an answer is written `TeX <expression>`"),
    ("{answer}`42 <4 2>`", "is not valid Python"),
    ("{answer}`42 <os.system(1)>`", "calls something that is neither abs, min, max nor a function of math"),
    ("{answer}`42 <x.real>`", "may use only numbers, variables and math's functions"),
])
def test_answer_that_is_not_an_expression(minibook, answer, message):
    append(minibook, CHAPTER, exercise(f"**Answer.** {answer}"))
    assert_names(failing_build(minibook), CHAPTER, lines_of(minibook, CHAPTER) - 1, re.escape(message))


def test_answer_outside_a_solution(minibook):
    append(minibook, CHAPTER, "\nThe answer is {answer}`42 <42>`.\n")
    assert_names(failing_build(minibook), CHAPTER, lines_of(minibook, CHAPTER), re.escape("an {answer} belongs inside a {solution} block"))


def test_solution_of_an_exercise_that_does_not_exist(minibook):
    append(minibook, CHAPTER, exercise("**Answer.** {answer}`42 <42>`", solution_of="ex-transformer-nosuch"))
    assert_names(failing_build(minibook), CHAPTER, lines_of(minibook, CHAPTER) - 6, "undefined label: ex-transformer-nosuch")


def test_prose_hidden_after_an_annotation_fails_the_build(minibook):
    append(minibook, CHAPTER, "\nA claim.\n% checked: Sec. 2 (arXiv v5) The model then attends to every position.\n")
    assert_names(failing_build(minibook), CHAPTER, lines_of(minibook, CHAPTER), "prose after a % annotation is hidden")


def test_an_annotation_that_splits_a_paragraph_fails_the_build(minibook):
    append(minibook, CHAPTER, "\nA claim that goes on\n% checked: Sec. 2\nacross the annotation.\n")
    assert_names(failing_build(minibook), CHAPTER, lines_of(minibook, CHAPTER) - 1, "splits a paragraph")


# --- caught by the fast check, before any build ------------------------------------------------


def test_the_fixture_book_passes_the_fast_check(minibook):
    assert check_sources.check(minibook) == []


def test_bib_syntax_error(minibook):
    append(minibook, "bib/background.bib", "\n@book{broken2020,\n  title = {Unclosed,\n  year = {2020},\n")
    assert_names(check_output(minibook), "bib/background.bib", None, "BibTeX syntax error.*broken2020")


def test_duplicate_bib_key_across_files(minibook):
    append(minibook, "bib/background.bib", "\n@misc{transformer,\n  author = {A. Author},\n  title = {Again},\n  year = {2017},\n}\n")
    output = check_output(minibook)
    assert re.search(r"bib/(background|papers)\.bib:\d+: duplicate key 'transformer' \(also at bib/(papers|background)\.bib:\d+\)", output), output


@pytest.mark.parametrize(
    "tex, message",
    [
        (r"x = \notamacro{y}", "Undefined control sequence"),
        (r"x = \frac{1}{2", "brace|Missing|Paragraph ended"),
        (r"x = \begin{pmatrix} a & b \end{matrix}", r"\\begin\{pmatrix\}|Environment|ended"),
    ],
    ids=["undefined-macro", "unbalanced-brace", "mismatched-environment"],
)
def test_math_that_latex_cannot_compile(minibook, tex, message):
    append(minibook, CHAPTER, display("transformer-broken", tex))
    output = check_output(minibook)
    assert_names(output, CHAPTER, lines_of(minibook, CHAPTER) - 1, "'transformer-broken': LaTeX cannot compile.*" + f"({message})")


def test_inline_ampersand_outside_an_alignment(minibook):
    append(minibook, CHAPTER, "\nInline $a & b$ math.\n")
    assert_names(check_output(minibook), CHAPTER, lines_of(minibook, CHAPTER), "inline math: LaTeX cannot compile.*alignment tab")


def test_math_that_mathjax_cannot_render(minibook):
    """LaTeX accepts an & without a line break (Sphinx wraps it in split); the HTML does not."""
    append(minibook, CHAPTER, display("transformer-misplaced", "a &= b"))
    output = check_output(minibook)
    assert_names(output, CHAPTER, lines_of(minibook, CHAPTER) - 1, "'transformer-misplaced': MathJax cannot render.*Misplaced &")
    assert "'transformer-misplaced': LaTeX" not in output


def test_a_second_check_still_catches_new_mistakes(minibook):
    """The check remembers what passed (build/check-cache.json); a mistake made after a passing
    run is caught all the same, by MathJax and by LaTeX, and again on the run after."""
    assert check_sources.check(minibook) == []
    assert (minibook / "build" / "check-cache.json").exists()
    append(minibook, CHAPTER, display("transformer-misplaced", "a &= b") + display("transformer-broken", r"x = \notamacro{y}"))
    for _ in range(2):
        output = check_output(minibook)
        assert "'transformer-misplaced': MathJax cannot render" in output, output
        assert "'transformer-broken': LaTeX cannot compile" in output, output


def test_non_utf8_source(minibook):
    page = minibook / "source/preface.md"
    page.write_bytes(page.read_bytes() + "\nCaf\u00e9 in Latin-1.\n".encode("latin-1"))
    assert_names(check_output(minibook), "source/preface.md", lines_of_bytes(page), "not UTF-8")


def test_byte_order_mark_in_a_source(minibook):
    page = minibook / "source/preface.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\ufeffPasted text.\n", encoding="utf-8")
    assert_names(check_output(minibook), "source/preface.md", lines_of(minibook, "source/preface.md"), "byte-order mark")


def test_prose_hidden_after_an_annotation(minibook):
    append(minibook, CHAPTER, "\n% unverified: Table 3 Then the model is trained for longer.\n")
    assert_names(check_output(minibook), CHAPTER, lines_of(minibook, CHAPTER), "prose after a % annotation is hidden")


def test_an_annotation_that_splits_a_paragraph_in_a_directive(minibook):
    append(minibook, CHAPTER, "\n````{prf:remark}\n:label: transformer-remark-split\n\nA claim that goes on\n"
                              "% checked: Sec. 2\nacross the annotation.\n````\n")
    assert_names(check_output(minibook), CHAPTER, lines_of(minibook, CHAPTER) - 2, "splits a paragraph")


def test_character_pdflatex_cannot_typeset(minibook):
    append(minibook, CHAPTER, "\n| model | change |\n| --- | --- |\n| base | \u22120.3 |\n")
    assert_names(check_output(minibook), CHAPTER, lines_of(minibook, CHAPTER), r"pdflatex cannot typeset the character U\+2212")


def test_inline_math_line_starting_with_a_list_marker(minibook):
    """The second line would start a list item: the math breaks and the dollar signs pair up wrongly."""
    append(minibook, CHAPTER, "\nThe loss is $a\n+ b$ in all.\n")
    assert_names(check_output(minibook), CHAPTER, lines_of(minibook, CHAPTER) - 1, "starts with a list marker")


def test_blackboard_bold_digit(minibook):
    """MathJax draws a double-struck 1; pdflatex's amssymb prints a wrong glyph without a word."""
    append(minibook, CHAPTER, "\nAn indicator $\\mathbb{1}\\{x > 0\\}$ here.\n")
    assert_names(check_output(minibook), CHAPTER, lines_of(minibook, CHAPTER), r"\\mathbb has capital letters only")


def test_citation_in_a_figure_caption(minibook):
    text = (minibook / CHAPTER).read_text(encoding="utf-8")
    (minibook / CHAPTER).write_text(text.replace(":caption: ", ":caption: As in {cite:t}`transformer`, ", 1), encoding="utf-8")
    assert_names(check_output(minibook), CHAPTER, None, "citation in :caption: breaks the PDF")


def lines_of_bytes(path):
    return path.read_bytes().count(b"\n")
