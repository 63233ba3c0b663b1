"""The fast checks of the sources, run before any build: ``make check`` (``make html`` runs it first).

Usage: ``python -m build_scripts.check_sources [ROOT]`` (ROOT holds ``source/`` and ``bib/``).

In seconds, without building the book, it finds the mistakes that a build would report late,
obscurely or not at all. Each finding names the file and line and says what to do; the exit
status is 1 when there is any.

* Every source file is UTF-8, without a byte-order mark.
* No prose is hidden on an annotation line, and no annotation splits a paragraph in two
  (:mod:`build_scripts.comments`).
* The BibTeX files parse and their keys are unique across files (:mod:`build_scripts.check_bib`).
* No line of inline math starts with a list marker ("+ ", "- ", "1. "): Markdown would read it as
  a list item and break the math.
* No citation sits in a figure caption or an equation's description (LaTeX cannot set it there).
* Every equation, display and inline, renders in MathJax as the HTML shows it (MathJax 3 under
  node, ``build_scripts/js/check_math.js``), and compiles in LaTeX as the PDF sets it, each
  equation in isolation, and every character outside ASCII that a page uses is one the PDF can
  set (pdflatex; both skipped with a note where TeX is not installed). Snippets already seen
  passing are not rendered again (:mod:`build_scripts.check_cache`).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sphinx.util.math import wrap_displaymath

from build_scripts import check_bib, check_cache, comments, macros

JS = Path(__file__).resolve().parent / "js"
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})\s*(?:\{(?P<name>[\w:-]+)\})?")
SKIPPED = {"code-block", "code", "plot", "raw", "sourcecode"}  # fences whose body is not Markdown
INLINE = re.compile(r"(?<![\\$])\$(?!\$)(?P<tex>(?:[^$\\]|\\.)+?)(?<!\\)\$")
LIST_MARKER = re.compile(r"\n[ \t]*(?:[-+*]|\d+[.)])[ \t]")  # a line that Markdown reads as a list item
BLACKBOARD = re.compile(r"\\mathbb\s*\{(?!\s*[A-Z]\s*\})")  # amssymb's \mathbb has capitals only
CITE_IN_OPTION = re.compile(r"^\s*:(?P<option>caption|desc):.*\{cite")
MAX_LATEX_ERRORS = 25


@dataclass
class Math:
    path: Path
    line: int
    tex: str
    display: bool
    label: str | None = None

    def where(self, root: Path) -> str:
        what = f"equation {self.label!r}" if self.label else ("display math" if self.display else "inline math")
        return f"{self.path.relative_to(root)}:{self.line}: {what}"


def math_in(path: Path, text: str) -> list[Math]:
    """Every equation of a MyST page: ``{math}`` blocks, ``$$...$$`` and inline ``$...$``."""
    found: list[Math] = []
    lines = text.splitlines()
    paragraph: list[tuple[int, str]] = []

    def flush() -> None:
        if not paragraph:
            return
        joined = "\n".join(l for _, l in paragraph)
        starts = [0]
        for _, l in paragraph:
            starts.append(starts[-1] + len(l) + 1)
        for match in re.finditer(r"\$\$(?P<tex>.+?)\$\$", joined, re.S):
            line = paragraph[sum(1 for s in starts[1:] if s <= match.start())][0]
            found.append(Math(path, line, match.group("tex").strip(), True))
        for match in INLINE.finditer(re.sub(r"\$\$.+?\$\$", lambda m: " " * len(m.group(0)), joined, flags=re.S)):
            line = paragraph[sum(1 for s in starts[1:] if s <= match.start())][0]
            found.append(Math(path, line, match.group("tex"), False))
        paragraph.clear()

    containers: list[str] = []  # fences of the open directives whose body is Markdown
    number = 0
    while number < len(lines):
        line = lines[number]
        fence = FENCE.match(line)
        if fence and fence.group("name") is None and containers and line.strip() == line.strip()[0] * len(line.strip()) \
                and line.strip()[0] == containers[-1][0] and len(line.strip()) >= len(containers[-1]):
            containers.pop()  # the end of a directive
            flush()
            number += 1
            continue
        if fence and (fence.group("name") == "math" or fence.group("name") in SKIPPED or fence.group("name") is None
                      and fence.group("fence").startswith("`")):
            flush()
            close = re.compile(r"^\s*" + re.escape(fence.group("fence")[0]) + "{" + str(len(fence.group("fence"))) + r",}\s*$")
            body_start, end = number + 1, number + 1
            while end < len(lines) and not close.match(lines[end]):
                end += 1
            if fence.group("name") == "math":
                body = lines[body_start:end]
                label = None
                while body and re.match(r"^\s*:[\w-]+:", body[0]):
                    option = re.match(r"^\s*:label:\s*(\S+)", body[0])
                    label = option.group(1) if option else label
                    body, body_start = body[1:], body_start + 1
                while body and not body[0].strip():
                    body, body_start = body[1:], body_start + 1
                found.append(Math(path, body_start + 1, "\n".join(body).strip(), True, label))
            number = end + 1
            continue
        if fence:
            containers.append(fence.group("fence"))
        if fence or not line.strip() or line.lstrip().startswith("%"):
            flush()
        elif not re.match(r"^\s*:[\w-]+:", line):
            paragraph.append((number + 1, line))
        number += 1
    flush()
    return found


def as_html(math: Math) -> str:
    """The TeX that MathJax receives, wrapped as Sphinx's HTML builder wraps it."""
    if not math.display:
        return math.tex
    parts = [p for p in math.tex.split("\n\n") if p.strip()]
    body = "".join(r"\begin{split}" + p + r"\end{split}" if r"\\" in p else p for p in parts)
    return r"\begin{align}\begin{aligned}" + body + r"\end{aligned}\end{align}" if len(parts) > 1 else body


def as_latex(math: Math) -> str:
    """The LaTeX of the math, wrapped as Sphinx's LaTeX builder wraps it."""
    return wrap_displaymath(math.tex, None, False) if math.display else r"\(" + math.tex + r"\)"


def mathjax_errors(maths: list[Math], root: Path) -> list[str]:
    script = JS / "check_math.js"
    if not (JS / "node_modules" / "mathjax-full").exists() or not shutil.which("node"):
        return [f"{script.relative_to(root) if script.is_relative_to(root) else script}: MathJax is not installed: run `make venv`"]
    cache = check_cache.Passed(root, "mathjax", json.dumps(macros.mathjax_macros(), sort_keys=True) + script.read_text())
    snippets = [json.dumps([as_html(m), m.display]) for m in maths]
    todo = cache.unseen(snippets)
    errors: list[str | None] = []
    if todo:
        payload = [{"tex": as_html(maths[i]), "display": maths[i].display} for i in todo]
        payload[0]["macros"] = macros.mathjax_macros()
        proc = subprocess.run(["node", str(script)], input=json.dumps(payload), capture_output=True, text=True, cwd=JS)
        if proc.returncode != 0:
            return [f"{script}: MathJax check failed: {proc.stderr.strip()[-500:]}"]
        errors = json.loads(proc.stdout)
    failed = {todo[k]: error for k, error in enumerate(errors) if error}
    cache.save([s for i, s in enumerate(snippets) if i not in failed])
    return [
        f"{maths[i].where(root)}: MathJax cannot render this math: {error} (fix the TeX; the HTML would show it in red)"
        for i, error in sorted(failed.items())
    ]


LATEX_PREAMBLE = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\DeclareUnicodeCharacter{00A0}{\nobreakspace}
\usepackage[T1]{fontenc}
\usepackage{textcomp}
\usepackage{amsmath,amssymb,amsbsy}
%s
\begin{document}
"""
SPHINX_UNICODE = {"\u00a0", "\u2500", "\u2502", "\u2514", "\u251c", "\u2572"}  # Sphinx's LaTeX declares these


def _first_latex_errors(snippets: list[str], root: Path, kind: str) -> list[tuple[int, str]] | None:
    """(index, LaTeX's message) of each snippet pdflatex cannot typeset, each in isolation.

    Snippets seen passing before are skipped; when every other one is known to pass, they are
    remembered. None without pdflatex.
    """
    if not shutil.which("pdflatex"):
        return None
    cache = check_cache.Passed(root, kind, LATEX_PREAMBLE % macros.latex_preamble())
    todo = cache.unseen(snippets)
    failed = [(todo[i] if i >= 0 else -1, message) for i, message in _latex_run([snippets[i] for i in todo])] if todo else []
    if all(i >= 0 for i, _ in failed):
        bad = {i for i, _ in failed}
        cache.save([s for i, s in enumerate(snippets) if i not in bad])
    return failed


def _latex_run(snippets: list[str]) -> list[tuple[int, str]]:
    """One run typesets every snippet; a run that stops on an error names the snippet through the
    marker typed out before it, which is then left out of the next run."""
    pending = list(range(len(snippets)))
    failed: list[tuple[int, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(MAX_LATEX_ERRORS + 1):
            body = "".join(f"\\typeout{{PBCHECK {i}}}\n{snippets[i]}\n\\par\n" for i in pending)
            tex = Path(tmp) / "snippets.tex"
            tex.write_text(LATEX_PREAMBLE % macros.latex_preamble() + body + "\\end{document}\n", encoding="utf-8")
            proc = subprocess.run(
                ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-draftmode", tex.name],
                cwd=tmp, capture_output=True, text=True, errors="replace",
            )
            if proc.returncode == 0:
                return failed
            log = (Path(tmp) / "snippets.log").read_text(encoding="latin-1")
            before, _, after = log.partition("\n! ")
            markers = re.findall(r"^PBCHECK (\d+)$", before, re.M)
            message = after.splitlines()[0] if after else log[-500:]
            if not markers:
                failed.append((-1, message))
                return failed
            failed.append((int(markers[-1]), message))
            pending.remove(int(markers[-1]))
    failed.append((-1, f"stopped after {MAX_LATEX_ERRORS} LaTeX errors"))
    return failed


def latex_errors(maths: list[Math], root: Path) -> list[str] | None:
    """Each equation compiled by pdflatex, in isolation; None where pdflatex is not installed."""
    failed = _first_latex_errors([as_latex(m) for m in maths], root, "latex")
    if failed is None:
        return None
    return [
        f"{maths[i].where(root)}: LaTeX cannot compile this math: {message} (fix the TeX)" if i >= 0
        else f"build_scripts/macros.py: LaTeX stopped before any equation: {message}"
        for i, message in failed
    ]


def character_errors(pages: dict[Path, str], root: Path) -> list[str] | None:
    """Each character outside ASCII that the pages use, typeset by pdflatex as the PDF would."""
    first: dict[str, str] = {}
    for path, text in pages.items():
        for number, line in enumerate(text.splitlines(), start=1):
            for char in line:
                if ord(char) > 127 and char not in SPHINX_UNICODE and char not in first:
                    first[char] = f"{path.relative_to(root)}:{number}"
    chars = sorted(first)
    failed = _first_latex_errors(chars, root, "characters")
    if failed is None:
        return None
    return [
        f"{first[chars[i]]}: pdflatex cannot typeset the character U+{ord(chars[i]):04X} ({chars[i]}): "
        f"write it in LaTeX or as inline math (e.g. $-$ for a minus sign)" if i >= 0 else f"LaTeX: {message}"
        for i, message in failed
    ]


def encoding_errors(path: Path, root: Path) -> tuple[str | None, list[str]]:
    """The text of a file, and what is wrong with its encoding (file:line)."""
    data = path.read_bytes()
    rel = path.relative_to(root)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [f"{rel}:{line}: not UTF-8 (byte {data[err.start]:#04x}): save the file as UTF-8"]
    problems = [
        f"{rel}:{number}: byte-order mark (U+FEFF) in the text: save the file as UTF-8 without BOM"
        for number, line in enumerate(text.splitlines(), start=1)
        if "\ufeff" in line
    ]
    return text, problems


def myst_extensions(root: Path) -> list[str]:
    """The MyST extensions ``conf.py`` enables (read, not run; a book whose ``conf.py`` imports this
    book's, like the test fixtures, has this book's)."""
    for conf in (root / "conf.py", Path(__file__).resolve().parents[1] / "conf.py"):
        try:
            tree = ast.parse(conf.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "myst_enable_extensions" for t in node.targets):
                return list(ast.literal_eval(node.value))
    return []


def check(root: Path) -> list[str]:
    problems: list[str] = []
    extensions = myst_extensions(root)
    maths: list[Math] = []
    files = sorted((root / "source").rglob("*.md")) + sorted((root / "source").rglob("*.py")) + sorted((root / "bib").glob("*.bib"))
    pages = {}
    for path in files:
        text, found = encoding_errors(path, root)
        problems += found
        if text is not None and path.suffix == ".md":
            pages[path] = text
    if any("not UTF-8" in p for p in problems):
        return problems  # the rest would only repeat the decoding error
    for path, text in pages.items():
        lines = text.splitlines()
        rel = path.relative_to(root)
        problems += [f"{rel}:{n}: {comments.message(p)}" for n, p in comments.hidden_prose(lines)]
        problems += [f"{rel}:{n}: {comments.SPLIT}" for n in comments.split_paragraphs(text, extensions)]
        problems += [f"{rel}:{n}: a citation in :{m.group('option')}: breaks the PDF: cite in the text instead"
                     for n, line in enumerate(lines, start=1) if (m := CITE_IN_OPTION.match(line))]
        maths += math_in(path, text)
    problems += [f"{m.where(root)}: a line of this inline math starts with a list marker ('+ ', '- ', '1. '), "
                 f"which ends the paragraph and breaks the math: move the operator to the end of the line before"
                 for m in maths if not m.display and LIST_MARKER.search(m.tex)]
    problems += [f"{m.where(root)}: \\mathbb has capital letters only in the PDF (it would print a wrong glyph): "
                 f"use \\mathbf{{1}} for an indicator" for m in maths if BLACKBOARD.search(m.tex)]
    problems += check_bib.syntax_and_keys(root)
    problems += mathjax_errors(maths, root)
    latex = latex_errors(maths, root)
    characters = character_errors(pages, root)
    if latex is None or characters is None:
        print("note: pdflatex is not installed, so equations were not compiled in LaTeX (make tex installs it)",
              file=sys.stderr)
    else:
        problems += latex + characters
    return problems


def main(root: Path) -> int:
    problems = check(root)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"error: {len(problems)} problem(s) in the sources", file=sys.stderr)
        return 1
    print("sources: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
