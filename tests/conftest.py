"""Shared fixtures: the book built from scratch, once per test session, in both outputs."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPHINX = [sys.executable, "-m", "sphinx"]
STRICT = ["-E", "-W", "--keep-going", "-n"]

sys.path.insert(0, str(ROOT))
from build_scripts.local_site import CHROMIUM, launch, serve  # noqa: E402  (tests import serve from here)
os.environ["BOOK_ROOT"] = str(ROOT)
os.environ["NO_COLOR"] = "1"  # Sphinx colours its output when CI is set; the checks read it as text


def figure_script(name: str):
    """A figure script of source/figures/, loaded as a module: the numerical checks test the code
    that draws the book's figure, not a copy of it."""
    spec = importlib.util.spec_from_file_location(Path(name).stem.replace("-", "_"), ROOT / "source" / "figures" / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Build:
    returncode: int
    output: str
    outdir: Path


def sphinx_command(project: Path, builder: str, outdir: Path, strict: bool = True) -> list[str]:
    """``sphinx-build`` for a project laid out like the book: conf.py beside source/ and bib/."""
    return [*SPHINX, *(STRICT if strict else ["-E"]), "-b", builder, "-c", str(project),
            "-d", str(outdir.parent / f"{outdir.name}-doctrees"), str(project / "source"), str(outdir)]


def run(command: list[str], outdir: Path, cwd: Path = ROOT) -> Build:
    proc = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return Build(proc.returncode, proc.stdout, outdir)


def build(project: Path, builder: str, outdir: Path, strict: bool = True) -> Build:
    return run(sphinx_command(project, builder, outdir, strict), outdir)


def latexpdf(latex_dir: Path, source: Path = ROOT / "source") -> Build:
    return run([sys.executable, "-m", "build_scripts.latexpdf", str(latex_dir), str(source)], latex_dir)


def tree_digest(*folders: Path) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> dict[str, Build]:
    """The book, HTML and LaTeX built side by side from a clean environment, then the PDF."""
    out = tmp_path_factory.mktemp("book")
    html_cmd = sphinx_command(ROOT, "html", out / "html")
    latex_cmd = sphinx_command(ROOT, "latex", out / "latex")
    procs = {
        name: subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for name, cmd in (("html", html_cmd), ("latex", latex_cmd))
    }
    builds = {}
    for name, proc in procs.items():
        output, _ = proc.communicate()
        builds[name] = Build(proc.returncode, output, out / name)
    builds["pdf"] = latexpdf(out / "latex") if builds["latex"].returncode == 0 else builds["latex"]
    pdf = out / "latex" / "paper-breakdowns.pdf"
    if pdf.exists():  # as `make latexpdf` does: the site links to the book's PDF
        shutil.copy(pdf, out / "html" / pdf.name)
    return builds


@pytest.fixture
def minibook(tmp_path) -> Path:
    """A fresh copy of the small fixture book, to break on purpose."""
    copy = tmp_path / "minibook"
    shutil.copytree(FIXTURES / "minibook", copy)
    return copy


# --- breaking a fixture book on purpose -----------------------------------------------------


def append(book, relpath, text):
    path = book / relpath
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def lines_of(book, relpath):
    return len((book / relpath).read_text(encoding="utf-8").splitlines())


def failing_build(book, builder="html"):
    """Build strictly; the build must fail and leave source/ and bib/ untouched."""
    before = tree_digest(book / "source", book / "bib")
    result = build(book, builder, book.parent / f"out-{builder}")
    assert result.returncode != 0, result.output[-3000:]
    assert tree_digest(book / "source", book / "bib") == before, "a failed build modified the sources"
    return result.output


def assert_names(output, relpath, line=None, message=""):
    pattern = re.escape(relpath) + (f":{line}:" if line else r":\d+:") + ".*" + message
    assert re.search(pattern, output), f"no {pattern!r} in:\n{output[-3000:]}"


# --- the built site in a browser ---------------------------------------------------------------

#: Browser tests are skipped only where Debian's chromium is missing outside CI (make test installs it).
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                    reason="needs Debian's chromium at /usr/bin/chromium (make test installs it)")


@pytest.fixture(scope="session")
def site(book):
    with serve(book["html"].outdir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()
