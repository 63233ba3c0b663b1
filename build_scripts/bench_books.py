"""Throw-away copies of the book for the benchmark: edits, and synthetic books of any size.

Nothing here touches the real sources: every function works on a copy made by
:func:`copy_project` in a temporary directory.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from build_scripts.papers import SLUGS

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "source/papers/transformer.md"  # the model chapter of CONTRIBUTING.md
EQUATION = "transformer-attention"  # a key equation with topics: it has back-links
FIGURE = "source/figures/transformer_attention_variance.py"


def copy_project(dest: Path, root: Path = ROOT) -> Path:
    """A copy of what a build reads (conf.py, source/, bib/, build_scripts/); node_modules is linked."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / "conf.py", dest / "conf.py")
    for folder in ("source", "bib"):
        shutil.copytree(root / folder, dest / folder)
    shutil.copytree(root / "build_scripts", dest / "build_scripts",
                    ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
    (dest / "build_scripts" / "js" / "node_modules").symlink_to((root / "build_scripts" / "js" / "node_modules").resolve())
    return dest


def edit_sentence(project: Path, n: int) -> str:
    """Change one sentence of the first paragraph under "## Setting" of the model chapter."""
    path = project / CHAPTER
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("## Setting"))
    i = next(i for i in range(start + 1, len(lines)) if lines[i][:1].isalpha())
    lines[i] = re.sub(r"(?: \(edit \d+\))?\n$", f" (edit {n})\n", lines[i])
    path.write_text("".join(lines), encoding="utf-8")
    return f"{CHAPTER}:{i + 1}"


def edit_equation(project: Path, n: int) -> str:
    """Change the TeX and the description of one key equation (it is listed on its topic pages)."""
    path = project / CHAPTER
    text = path.read_text(encoding="utf-8")
    block = re.search(r"```\{math\}\n:label: " + re.escape(EQUATION) + r"\n(?P<options>(?::[\w-]+:.*\n)*)\n(?P<tex>.*?)\n```",
                      text, re.S)
    options = re.sub(r"(:desc: .*?)(?: \(v\d+\))?\n", rf"\1 (v{n})\n", block.group("options"))
    tex = re.sub(r"(?:\\,)*$", r"\\," * (n % 3 + 1), block.group("tex"))
    text = text[: block.start("options")] + options + "\n" + tex + text[block.end("tex"):]
    path.write_text(text, encoding="utf-8")
    return f"{EQUATION} (v{n})"


def edit_figure(project: Path, n: int) -> str:
    """Change one figure script (a comment: the figure must be redrawn all the same)."""
    path = project / FIGURE
    text = re.sub(r"\n# bench edit \d+\n$", "\n", path.read_text(encoding="utf-8"))
    path.write_text(text + f"# bench edit {n}\n", encoding="utf-8")
    return FIGURE


def relabel(text: str, slug: str, new: str) -> str:
    """A chapter's text with its own labels (``<slug>-...``) moved to the prefix of ``new``."""
    return re.sub(r"(?<![\w/.-])" + re.escape(slug) + r"-(?=[a-z0-9])", new + "-", text)


def synthetic_book(dest: Path, chapters: int, times: int, root: Path = ROOT) -> Path:
    """The book with its first ``chapters`` chapters, each present ``times`` times (relabelled
    copies ``<slug>-x2``, ``<slug>-x3``, ...), and every other page as it is. References into
    the chapters left out stay unresolved: build it without ``-W``. A copy shows the figures of
    its chapter, drawn once: the copies add text, equations and references, not figure scripts."""
    project = copy_project(dest, root)
    papers = project / "source" / "papers"
    kept = list(SLUGS[:chapters])
    for slug in SLUGS[chapters:]:
        (papers / f"{slug}.md").unlink(missing_ok=True)
    added = []
    for copy in range(2, times + 1):
        for slug in kept:
            new = f"{slug}-x{copy}"
            text = (papers / f"{slug}.md").read_text(encoding="utf-8")
            (papers / f"{new}.md").write_text(relabel(text, slug, new), encoding="utf-8")
            added.append(new)
    with open(project / "build_scripts" / "papers.py", "a", encoding="utf-8") as module:
        module.write(f"\nSLUGS = SLUGS + {tuple(added)!r}  # the synthetic book's copies\n")
    return project
