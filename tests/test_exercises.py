"""The exercises in both outputs: each checkable answer has a check that fails when the answer is
wrong; solutions hidden in the HTML and gathered, linked both ways, in the PDF; labels citable."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from build_scripts import check_html
from conftest import ROOT
from exercises.answers import ANSWER, exercises, stated_answers


def wrong(source, tmp_path):
    """A copy of the sources in which every stated answer is off: x becomes 1.5x + 1."""
    copy = tmp_path / "source"
    shutil.copytree(source, copy)
    for path in copy.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        changed = ANSWER.sub(lambda m: re.sub(r"<([^<>]+)>$", r"<(\1) * 1.5 + 1>", m[0][:-1]) + "`", text)
        if changed != text:
            path.write_text(changed, encoding="utf-8")
    return copy


def run_answer_checks(source, trace):
    env = {**os.environ, "BOOK_SOURCE": str(source), "EXERCISE_TRACE": str(trace)}
    checks = ROOT / "tests" / "exercises"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--ignore={checks / 'test_labels.py'}",
                           str(checks)], cwd=ROOT, env=env, capture_output=True, text=True)


def failed_checks(trace) -> dict[str, list[str]]:
    caught = {}
    for line in trace.read_text(encoding="utf-8").splitlines() if trace.exists() else []:
        record = json.loads(line)
        if record["failed"]:
            for label in record["evaluated"]:
                caught.setdefault(label, []).append(record["test"])
    return caught


def test_every_wrong_answer_fails_its_check(tmp_path):
    assert stated_answers(), "the book states no answers"
    proc = run_answer_checks(wrong(ROOT / "source", tmp_path), tmp_path / "trace.jsonl")
    assert proc.returncode != 0, proc.stdout[-2000:]
    caught = failed_checks(tmp_path / "trace.jsonl")
    missed = [str(found[0]) for label, found in stated_answers().items() if label not in caught]
    assert not missed, "a wrong answer here passes every check:\n" + "\n".join(missed)


def test_the_right_answers_pass_the_same_run(tmp_path):
    proc = run_answer_checks(ROOT / "source", tmp_path / "trace.jsonl")
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_exercises_have_labels_named_in_objects_inv(book):
    from sphinx.util.inventory import InventoryFile

    with open(book["html"].outdir / "objects.inv", "rb") as f:
        inventory = InventoryFile.load(f, "", lambda base, uri: uri)
    labels = inventory["std:label"] if isinstance(inventory, dict) else inventory.data["std:label"]
    assert exercises(), "the book has no exercises"
    for label in exercises():
        assert label in labels, f"{label} is not in objects.inv"
        item = labels[label]
        uri, display = (item[2], item[3]) if isinstance(item, tuple) else (item.uri, item.display_name)
        assert re.fullmatch(r"Exercise \d+\.\d+", display), (label, display)
        assert uri.endswith(f"#{label}"), (label, uri)


def test_another_project_cites_an_exercise_through_intersphinx(book, tmp_path):
    from test_equations import build_citing_project

    proc, out = build_citing_project(book, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    links = {a["href"]: a.get_text() for a in check_html._soup(out / "index.html").select("a.reference.external")}
    cited = [(href, text) for href, text in links.items() if href.endswith("#ex-transformer-kurtosis")]
    assert cited and re.fullmatch(r"Exercise 7\.\d+", cited[0][1]), links


def test_pdf_gathers_every_solution_in_the_solutions_chapter_linked_both_ways(book):
    tex = (book["latex"].outdir / "paper-breakdowns.tex").read_text(encoding="utf-8")
    start = tex.index(r"\chapter{Solutions}")
    solutions = [m.start() for m in re.finditer(r"\\begin\{sphinxadmonition\}\{note\}\{Solution to", tex)]
    with_solution = [e for e in exercises().values() if e.solution]
    assert len(solutions) == len(with_solution) > 0
    assert all(at > start for at in solutions), "a solution was left in its chapter"
    for e in with_solution:
        # the exercise links forward to its solution, the solution's title back to the exercise
        assert re.search(rf"\\hyperref\[[^\]]*:sol-{re.escape(e.label[3:])}\]\{{Solution\}}", tex[:start]), e.label
        assert re.search(rf"\\hyperref\[\\detokenize\{{[^}}]*:{re.escape(e.label)}\}}\]", tex[start:]), e.label


def test_html_folds_every_solution(book):
    pages = sorted(book["html"].outdir.rglob("*.html"))
    unfolded = [p.name for p in pages for div in check_html._soup(p).select("div.solution") if "dropdown" not in div["class"]]
    assert sum(len(check_html._soup(p).select("div.solution")) for p in pages) == len([e for e in exercises().values() if e.solution])
    assert unfolded == []
