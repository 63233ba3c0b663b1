"""The standard every chapter of Part I meets, checked on the sources."""

import re

import pytest

from build_scripts.papers import SLUGS
from conftest import ROOT

CHAPTERS = [s for s in SLUGS if (ROOT / "source" / "papers" / f"{s}.md").exists()]
FENCE = re.compile(r"^(`{3,}|:{3,})\{?([\w:-]*)\}?.*?^\1\s*$", re.M | re.S)


def prose(text: str) -> str:
    """The chapter without math, code, directives' options and comments."""
    text = re.sub(r"^(`{3,})\{math\}.*?^\1\s*$", " ", text, flags=re.M | re.S)
    text = re.sub(r"^(`{3,})\{(plot|raw|code-block)\}.*?^\1\s*$", " ", text, flags=re.M | re.S)
    text = re.sub(r"^\s*:[\w-]+:.*$", " ", text, flags=re.M)
    text = re.sub(r"^\s*%.*$", " ", text, flags=re.M)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)
    return text


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z][A-Za-z'-]+", prose(text)))


def test_at_least_the_two_pilot_chapters_exist():
    assert {"transformer", "flashattention"} <= set(CHAPTERS)


@pytest.mark.parametrize("slug", CHAPTERS)
def test_chapter_meets_the_standard(slug):
    text = (ROOT / "source" / "papers" / f"{slug}.md").read_text(encoding="utf-8")
    assert words(text) >= 2000, f"{slug}: {words(text)} words of prose"
    labels = re.findall(rf"^:label: ({re.escape(slug)}-[\w-]+)\s*$", text, re.M)
    assert len(labels) >= 8, f"{slug}: {len(labels)} labelled equations"
    assert re.search(r"^:topics: ", text, re.M), f"{slug}: no key equation names its topics"
    assert re.search(rf"\{{cite:[tp]\}}`{re.escape(slug)}`", text), f"{slug}: does not cite its paper"
    assert re.search(r"^```\{plot\} " + re.escape(slug) + r"_\w+\.py", text, re.M), f"{slug}: no figure"
    for heading in ("Setting", "Key equations", "Headline results", "Assumptions and limits", "What later work changed"):
        assert re.search(rf"^## {heading}", text, re.M), f"{slug}: no section {heading!r}"
    checks = ROOT / "tests" / "numerics" / f"test_{slug.replace('-', '_')}.py"
    assert checks.exists(), f"{slug}: no numerical checks"
    assert len(re.findall(r"@pytest\.mark\.equations\(", checks.read_text())) >= 2


def test_word_count_ignores_math():
    assert words("```{math}\n:label: a-b\n\nx + y\n```\nTwo words $and not$ these.") == 3


@pytest.mark.parametrize("slug", CHAPTERS)
def test_chapter_opens_with_its_at_a_glance_box(slug):
    """Right under the title: the paper, its contribution in a few lines, its key equations by label."""
    text = (ROOT / "source" / "papers" / f"{slug}.md").read_text(encoding="utf-8")
    body = text.split("\n", 1)[1].lstrip("\n")
    box = re.match(r"(`{3,}|:{3,})\{admonition\} At a glance\n(.*?)^\1\s*$", body, re.S | re.M)
    assert box, f"{slug}: the chapter does not open with an 'At a glance' admonition"
    box = box[2]
    assert re.search(r"^:class:.*\bat-a-glance\b", box, re.M), f"{slug}: the box lacks :class: at-a-glance"
    for part in ("**The paper.**", "**Contribution.**", "**Key equations.**"):
        assert part in box, f"{slug}: the box has no {part}"
    assert re.search(rf"\{{cite:t\}}`{re.escape(slug)}`", box), f"{slug}: the box does not cite the paper"
    labels = re.findall(r"\{eq\}`([\w-]+)`", box)
    assert 3 <= len(labels) <= 6, f"{slug}: {len(labels)} key equations in the box"
    defined = set(re.findall(r"^:label: ([\w-]+)\s*$", text, re.M))
    assert set(labels) <= defined, f"{slug}: the box names equations of other pages: {set(labels) - defined}"
