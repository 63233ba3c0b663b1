"""Typeset the PDF from Sphinx's LaTeX output, and fail on what LaTeX only warns about.

Usage: ``python -m build_scripts.latexpdf build/latex [source]``

Runs latexmk in non-stop mode. A LaTeX error is reported against the Markdown source it came
from (``source/<page>.md:<line>``), found through the page labels Sphinx writes into the .tex
file. After a successful run the final log must show no undefined reference or citation, no
multiply-defined label and no "Label(s) may have changed": ``-W`` does not reach LaTeX, so this does.
A failed run leaves the last good PDF in place.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "source"

LOG_PROBLEMS = [
    re.compile(r"LaTeX Warning: Reference `[^']*' on page \d+ undefined"),
    re.compile(r"LaTeX Warning: Hyper reference `[^']*' on page \d+ undefined"),
    re.compile(r"LaTeX Warning: Citation `[^']*' on page \d+ undefined"),
    re.compile(r"LaTeX Warning: There were undefined references"),
    re.compile(r"LaTeX Warning: Label `[^']*' multiply defined"),
    re.compile(r"LaTeX Warning: There were multiply-defined labels"),
    re.compile(r"Label\(s\) may have changed"),
    re.compile(r"Package natbib Warning: Citation"),
]
ERROR = re.compile(r"^(?P<file>[^:\n]+\.tex):(?P<line>\d+): (?P<message>.*)$", re.M)
PAGE_LABEL = re.compile(r"\\label\{\\detokenize\{([^:}]+)[:}]")
CONTROL_SEQUENCE = re.compile(r"(\\[A-Za-z@]+)\s*$")


def unwrap(log_text: str) -> str:
    """Undo TeX's wrapping of log lines at 79 characters."""
    lines, out = log_text.split("\n"), []
    for line in lines:
        if out and len(out[-1]) % 79 == 0 and out[-1]:
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def log_problems(log_text: str) -> list[str]:
    """Lines of a final LaTeX log that mean a reference, citation or label is wrong."""
    text = unwrap(log_text)
    return sorted({m.group(0) for pattern in LOG_PROBLEMS for m in pattern.finditer(text)})


EQUATION_LABEL = re.compile(r"\\label\{equation:([^:}]+):([^}]+)\}")


def source_location(tex_lines: list[str], tex_line: int, needles: list[str], source: Path = SOURCE) -> str:
    """``source/<page>.md:<line>`` for a line of the .tex file, best effort.

    The page is the one whose label last precedes the line; within it, the search for the
    offending text starts at the equation whose label last precedes the line, if any.
    """
    docname, label = None, None
    for line in reversed(tex_lines[max(0, tex_line - 40): tex_line]):
        match = EQUATION_LABEL.search(line)
        if match:
            docname, label = match.groups()
            break
    if docname is None:
        for line in reversed(tex_lines[:tex_line]):
            match = PAGE_LABEL.search(line)
            if match:
                docname = match.group(1)
                break
    if docname is None:
        return f"(LaTeX line {tex_line})"
    path = source / f"{docname}.md"
    shown = path.relative_to(source.parent)
    if not path.exists():
        return f"{shown} (LaTeX line {tex_line})"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next((i for i, text in enumerate(lines) if label and f":label: {label}" in text), 0)
    for needle in needles:
        for number in range(first, len(lines)):
            if needle in lines[number]:
                return f"{shown}:{number + 1}"
    if label:
        return f"{shown}:{first + 1}"
    return f"{shown} (LaTeX line {tex_line})"


def _needles(context: list[str]) -> list[str]:
    """Text to look for in the source: the control sequence TeX stopped at, then the input line."""
    needles = []
    for line in context:
        match = CONTROL_SEQUENCE.search(line.rstrip())
        if match and match.group(1) not in {"\\end", "\\begin"}:
            needles.append(match.group(1))
    for line in context:
        if line.startswith("l."):
            text = line.split(" ", 1)[1].strip() if " " in line else ""
            if len(text) >= 6:
                needles.extend([text[-30:], text[:30]])
    return needles


def errors(log_text: str, tex_path: Path, source: Path = SOURCE) -> list[str]:
    """LaTeX errors of a failed run, each located in the Markdown source."""
    tex_lines = tex_path.read_text(encoding="utf-8", errors="replace").splitlines()
    log_lines = log_text.splitlines()
    out = []
    for match in ERROR.finditer(log_text):
        number = int(match.group("line"))
        start = log_text[: match.start()].count("\n")
        context = log_lines[start + 1: start + 12]
        context = context[: next((i for i, l in enumerate(context) if l.startswith("l.")), len(context)) + 1]
        if Path(match.group("file")).name == tex_path.name:
            where = source_location(tex_lines, number, _needles(context), source)
        else:
            where = f"{match.group('file')}:{number}"
        shown = next((l for l in context if l.startswith("l.")), "")
        out.append(f"{where}: LaTeX error: {match.group('message').strip()} [{shown.strip()[:80]}]")
    return out


def build(latex_dir: Path, source: Path = SOURCE, name: str = "paper-breakdowns") -> int:
    tex = latex_dir / f"{name}.tex"
    pdf, kept = latex_dir / f"{name}.pdf", latex_dir / f".{name}.last-good.pdf"
    if pdf.exists():
        shutil.copy2(pdf, kept)
    status = _typeset(latex_dir, tex, source, name)
    if status != 0 and kept.exists():
        os.replace(kept, pdf)
        print(f"the previous PDF is kept: {pdf}", file=sys.stderr)
    kept.unlink(missing_ok=True)
    return status


def _typeset(latex_dir: Path, tex: Path, source: Path, name: str) -> int:
    env = dict(os.environ, LATEXOPTS="-interaction=nonstopmode -halt-on-error -file-line-error")
    proc = subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", f"{name}.tex"],
        cwd=latex_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
    )
    log_path = latex_dir / f"{name}.log"
    log_text = log_path.read_text(encoding="latin-1") if log_path.exists() else ""
    if proc.returncode != 0:
        found = errors(log_text, tex, source) or [proc.stdout[-3000:]]
        for line in found:
            print(line, file=sys.stderr)
        print(f"error: the PDF build failed (full log: {log_path})", file=sys.stderr)
        return 1
    problems = log_problems(log_text)
    if problems:
        for line in problems:
            print(f"{log_path}: {line}", file=sys.stderr)
        print("error: the PDF has unresolved references, citations or labels", file=sys.stderr)
        return 1
    print(f"PDF: {latex_dir / (name + '.pdf')}")
    return 0


if __name__ == "__main__":
    sys.exit(build(Path(sys.argv[1]), Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else SOURCE))
