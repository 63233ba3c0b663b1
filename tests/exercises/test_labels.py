"""The exercises as a whole: their labels and kinds, every stated answer checked, every code block run."""

import re
from pathlib import Path

import pytest

from exercises.answers import exercises, stated_answers

HERE = Path(__file__).parent
KINDS = {"derivation", "counterexample", "quantitative", "experiment"}
NAMED = re.compile(r"""\banswers?\(\s*["'](?P<label>[^"']+)["']""")
CODE = re.compile(r"^(`{3,})python\s*$\n(?P<code>.*?)^\1\s*$", re.M | re.S)


def labels_named_by_tests() -> dict[str, Path]:
    named = {}
    for path in sorted(HERE.glob("test_*.py")):
        for match in NAMED.finditer(path.read_text(encoding="utf-8")):
            named[match["label"]] = path
    return named


def test_labels_named_by_the_tests_are_exercises_of_the_book():
    unknown = {label: path.name for label, path in labels_named_by_tests().items() if label not in exercises()}
    assert not unknown, f"tests name exercises the book does not have: {unknown}"


def test_coverage_every_stated_answer_is_checked_by_a_test():
    named = labels_named_by_tests()
    unchecked = [str(found[0]) for label, found in stated_answers().items() if label not in named]
    assert not unchecked, "answers no test in tests/exercises/ checks:\n" + "\n".join(unchecked)


def test_every_answer_belongs_to_an_exercise():
    orphans = [str(found[0]) for label, found in stated_answers().items() if label not in exercises()]
    assert not orphans, "solutions of no exercise:\n" + "\n".join(orphans)


def test_labels_every_exercise_has_a_label_and_a_kind():
    bad = [f"{e.path}:{e.line}: label {e.label!r}, kind {e.kind!r}" for e in exercises().values()
           if not re.fullmatch(r"ex-[a-z0-9-]+", e.label) or e.kind not in KINDS]
    assert not bad, f"each exercise needs :label: ex-<page>-<name> and :class: one of {sorted(KINDS)}:\n" + "\n".join(bad)


CODE_BLOCKS = [(e.label, m["code"]) for e in exercises().values() for m in CODE.finditer("\n".join(e.solution) + "\n")]


@pytest.mark.parametrize("label, code", CODE_BLOCKS, ids=[label for label, _ in CODE_BLOCKS])
def test_code_in_a_solution_runs(label, code, capsys):
    exec(compile(code, f"<solution to {label}>", "exec"), {"__name__": f"solution_{label}"})
    assert capsys.readouterr().out.strip(), f"the code in the solution to {label} prints nothing"


PAGES = sorted((HERE.parents[1] / "source").glob("papers/*.md")) + sorted((HERE.parents[1] / "source").glob("topics/*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in PAGES])
def test_labels_each_page_has_its_exercises(page):
    """A paper chapter: at least four exercises, one of each kind; a Machinery page: at least three.
    Each under the page's last heading, "## Exercises", labelled with the page's name."""
    mine = [e for e in exercises().values() if e.path.resolve() == page.resolve()]
    text = page.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+?)\s*$", text, re.M)
    assert headings and headings[-1] == "Exercises", f"{page.name}: the last section is not ## Exercises"
    assert all(e.label.startswith(f"ex-{page.stem}-") for e in mine), [e.label for e in mine]
    if page.parent.name == "papers":
        assert len(mine) >= 4, f"{page.name}: {len(mine)} exercises"
        assert {e.kind for e in mine} == KINDS, f"{page.name}: kinds {sorted({e.kind for e in mine})}"
    else:
        assert len(mine) >= 3, f"{page.name}: {len(mine)} exercises"
