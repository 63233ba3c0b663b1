"""Incremental builds: editing a figure's script redraws the figure and rebuilds the page that
shows it, and only that page; a builder draws only the figure format it shows."""

import re
import subprocess
import sys
import time

from conftest import SPHINX, ROOT


def incremental_html(book, outdir, builder="html"):
    command = [*SPHINX, "-W", "--keep-going", "-n", "-b", builder, "-c", str(book),
               "-d", str(outdir.parent / "doctrees"), str(book / "source"), str(outdir)]
    proc = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return proc.stdout


def test_editing_a_figure_script_redraws_it(minibook):
    out = minibook.parent / "html"
    incremental_html(minibook, out)
    figure = next(out.glob("_images/transformer_softmax*.svg"))
    before = figure.read_text()
    script = minibook / "source/figures/transformer_softmax.py"
    script.write_text(script.read_text().replace("(0.5, 1.0, 2.0)", "(0.25, 1.0, 4.0)"))
    output = incremental_html(minibook, out)
    assert "0 added, 1 changed, 0 removed" in output, output[-2000:]
    assert figure.read_text() != before, "the figure was not redrawn"
    written = re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", output)
    assert "papers/transformer" in written and "papers/flashattention" not in written, written


def test_each_builder_draws_only_the_format_it_shows(minibook):
    """HTML draws SVG, LaTeX PDF; sharing one doctree directory, each draws its own when it comes."""
    drawn = minibook.parent / "plot_directive" / "source" / "figures"
    incremental_html(minibook, minibook.parent / "html")
    assert sorted(p.suffix for p in drawn.glob("transformer_softmax*")) == [".svg"]
    output = incremental_html(minibook, minibook.parent / "latex", "latex")
    assert "0 added, 1 changed, 0 removed" in output, output[-2000:]
    assert sorted(p.suffix for p in drawn.glob("transformer_softmax*")) == [".pdf", ".svg"]
    assert list((minibook.parent / "latex").glob("transformer_softmax*.pdf")), "the PDF is not in the LaTeX output"
    output = incremental_html(minibook, minibook.parent / "html")
    assert "0 added, 0 changed, 0 removed" in output, output[-2000:]


COUNTING_DOCTREES = """
import sys
from sphinx.cmd.build import main
from sphinx.environment import BuildEnvironment
unpickled = []
get_doctree = BuildEnvironment.get_doctree
BuildEnvironment.get_doctree = lambda env, docname: unpickled.append(docname) or get_doctree(env, docname)
status = main(sys.argv[1:])
print("doctrees unpickled:", " ".join(unpickled))
sys.exit(status)
"""


def counted_html(script, book, outdir):
    """An HTML build of ``book`` by ``script`` (Sphinx's main with something counted): its output."""
    command = [sys.executable, "-c", script, "-W", "--keep-going", "-n", "-b", "html", "-c", str(book),
               "-d", str(outdir.parent / "doctrees"), str(book / "source"), str(outdir)]
    proc = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return proc.stdout


def doctrees_unpickled(book, outdir):
    output = counted_html(COUNTING_DOCTREES, book, outdir)
    written = set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", output))
    return set(re.search(r"doctrees unpickled:(.*)", output).group(1).split()), written


SAME_NUMBERS = """
import sys
from sphinx.application import Sphinx
from sphinx.environment.collectors.toctree import TocTreeCollector as Sphinxs
from build_scripts.numbering import TocTreeCollector as Ours
source, conf, outdir, doctrees = sys.argv[1:]
env = Sphinx(source, conf, outdir, doctrees, "html", status=None).env
Ours().assign_figure_numbers(env)
ours = env.toc_fignumbers
Sphinxs().assign_figure_numbers(env)
print("numbered:", sum(len(n) for kinds in ours.values() for n in kinds.values()), "same:", ours == env.toc_fignumbers)
"""


def numbers_are_sphinxs(source, conf, outdir, doctrees):
    """The figure and equation numbers of a built book, computed over the kept outlines and by
    Sphinx's own walk over the doctrees: (how many were numbered, whether the two agree)."""
    proc = subprocess.run([sys.executable, "-c", SAME_NUMBERS, str(source), str(conf), str(outdir), str(doctrees)],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    found = re.search(r"numbered: (\d+) same: (True|False)", proc.stdout)
    assert found, proc.stdout[-3000:]
    return int(found.group(1)), found.group(2) == "True"


def test_the_books_numbers_are_sphinxs(book):
    outdir = book["html"].outdir
    numbered, same = numbers_are_sphinxs(ROOT / "source", ROOT, outdir, outdir.parent / f"{outdir.name}-doctrees")
    assert numbered > 500 and same


def test_nothing_changed_renumbers_nothing(minibook):
    """Sphinx's numbering unpickles every page; here a rebuild unpickles only the pages it read."""
    out = minibook.parent / "html"
    incremental_html(minibook, out)
    # the front page's, for the sidebar of the pages Sphinx writes on every build (index, search)
    unpickled, written = doctrees_unpickled(minibook, out)
    assert unpickled <= {"index"} and not written
    chapter = minibook / "source/papers/transformer.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    unpickled, written = doctrees_unpickled(minibook, out)
    assert "papers/transformer" in written and "papers/flashattention" not in written, written
    assert unpickled <= written | {"index"}, f"pages neither read nor written were unpickled: {unpickled - written}"
    numbered, same = numbers_are_sphinxs(minibook / "source", minibook, out, out.parent / "doctrees")
    assert numbered >= 5 and same


# Tokens that only bust browser caches and differ between any two builds: the per-build name of a
# page's tooltip data (sphinx-tippy) and the checksum Sphinx appends to an asset that extensions
# copy at the end of a build (absent from the pages of a first build).
CACHE_TOKENS = re.compile(r"\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\.js)|\?v=[0-9a-f]{8}")


def html_pages(outdir):
    """Every HTML page of a build, by its path in the site, without cache-busting tokens."""
    return {str(p.relative_to(outdir)): CACHE_TOKENS.sub("", p.read_text(encoding="utf-8"))
            for p in sorted(outdir.rglob("*.html"))}


def edit_equations(book):
    """An equation's TeX and description edited, and a new equation before it (numbers shift)."""
    chapter = book / "source/papers/transformer.md"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace(":desc: Scaled dot-product attention.", ":desc: Scaled dot-product attention, edited.")
    text = text.replace(r"\sqrt{d_k}}\right) V", r"\sqrt{d_k}}\right) V \,")
    text = text.replace("## Key equations\n", "## Key equations\n\n```{math}\n:label: transformer-first\n"
                        ":desc: An equation added first.\n:topics: softmax\n\nx = y\n```\n")
    chapter.write_text(text, encoding="utf-8")


def test_incremental_rebuild_equals_a_clean_build(minibook, tmp_path):
    """After an equation edit, an incremental rebuild writes what a clean build of the same sources
    writes: the chapter's numbers (math_numfig), its topic page's "Used in" list, the index."""
    out = minibook.parent / "html"
    incremental_html(minibook, out)
    edit_equations(minibook)
    incremental_html(minibook, out)
    clean = tmp_path / "clean" / "html"
    incremental_html(minibook, clean)
    incremental, fresh = html_pages(out), html_pages(clean)
    assert incremental.keys() == fresh.keys()
    differ = [page for page in fresh if incremental[page] != fresh[page]]
    assert not differ, f"the incremental rebuild differs from a clean build in: {differ}"
    assert "edited" in fresh["topics/softmax.html"] and "()" not in re.findall(r'class="eqno">(\(.*?\))', fresh["papers/transformer.html"])


def test_nothing_changed_rebuilds_nothing(minibook):
    """A second build of unchanged sources reads and writes no page, and finds the configuration unchanged."""
    out = minibook.parent / "html"
    incremental_html(minibook, out)
    output = incremental_html(minibook, out)
    assert "configuration has changed" not in output, output[-2000:]
    assert "0 added, 0 changed, 0 removed" in output, output[-2000:]
    assert not re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", output), output[-2000:]


def test_an_edited_bibliography_entry_is_formatted_again(minibook):
    """The bibliography's formatted entries are kept between runs (build_scripts/bib_style.py),
    yet an entry edited since shows its new text, in the bibliography and in the tooltips of the
    pages citing it (build_scripts/bib_citers.py)."""
    out = minibook.parent / "html"
    incremental_html(minibook, out)
    before = html_pages(out)
    assert "attention is all you need" in before["bibliography.html"].lower()
    bib = minibook / "bib/papers.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Attention Is All You Need", "Attention Is Nearly All You Need"),
                   encoding="utf-8")
    incremental_html(minibook, out)
    after = html_pages(out)
    page = after["bibliography.html"].lower()
    assert "attention is nearly all you need" in page and "attention is all you need" not in page
    tooltips = re.findall(r'title="([^"]*attention is[^"]*)"', after["papers/transformer.html"], re.I)
    assert tooltips and all("nearly all" in t.lower() for t in tooltips), tooltips


COUNTING_COMPILES = """
import sys
import jinja2
from sphinx.cmd.build import main
compiled = []
compile = jinja2.Environment.compile
def counting(env, source, name=None, filename=None, raw=False, defer_init=False):
    if not raw and str(filename).endswith(".html"):
        compiled.append(name)
    return compile(env, source, name, filename, raw, defer_init)
jinja2.Environment.compile = counting
status = main(sys.argv[1:])
print("templates compiled:", " ".join(compiled))
sys.exit(status)
"""


def templates_compiled(book, outdir):
    return re.search(r"templates compiled:(.*)", counted_html(COUNTING_COMPILES, book, outdir)).group(1).split()


def test_the_themes_templates_are_compiled_once(minibook):
    """A rebuild uses the templates compiled by the build before (build_scripts/template_cache.py),
    and compiles again a template whose source has changed since."""
    out = minibook.parent / "html"
    first = templates_compiled(minibook, out)
    assert "page.html" in first, first
    again = templates_compiled(minibook, out)
    assert again == [], f"compiled again with nothing changed: {again}"
    # the same template in a folder searched first: the pages show it, then its edit
    override = minibook / "templates" / "download-pdf.html"
    override.parent.mkdir()
    override.write_text((ROOT / "build_scripts/templates/download-pdf.html").read_text(encoding="utf-8")
                        .replace("Download PDF", "Download the PDF, first"), encoding="utf-8")
    conf = minibook / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\ntemplates_path = [str(Path(__file__).parent / 'templates'), *templates_path]\n",
                    encoding="utf-8")
    templates_compiled(minibook, out)
    assert "Download the PDF, first" in (out / "index.html").read_text(encoding="utf-8")
    time.sleep(0.01)  # a distinct mtime: Sphinx writes every page again when a template is newer than them
    override.write_text(override.read_text(encoding="utf-8").replace("first", "edited"), encoding="utf-8")
    edited = templates_compiled(minibook, out)
    assert "download-pdf.html" in edited and "page.html" not in edited, edited
    assert "Download the PDF, edited" in (out / "index.html").read_text(encoding="utf-8")


EXERCISE = """
````{{exercise}} {title}
:label: ex-{slug}-{n}

Show that $x = x$.
````

````{{solution}} ex-{slug}-{n}
:label: sol-{slug}-{n}
:class: dropdown

Reflexivity.
````
"""


def with_book_wide_pages(book):
    """The minibook with the front page's cards and map on its preface, as in the book, a list of
    exercises on a Solutions page, and one exercise."""
    src = book / "source"
    preface = src / "preface.md"
    preface.write_text(preface.read_text(encoding="utf-8") + "\n```{book-at-a-glance}\n```\n", encoding="utf-8")
    (src / "solutions.md").write_text("# Solutions\n\n```{solutions}\n```\n", encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("equation-index\nbibliography\n",
                                                               "equation-index\nsolutions\nbibliography\n"), encoding="utf-8")
    append(src / "papers/transformer.md", EXERCISE.format(title="A first", slug="transformer", n=1))


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_pages_showing_the_whole_book_are_written_again_only_when_what_they_show_changes(minibook, tmp_path):
    """The cards and map (preface) and the list of exercises (solutions) are not read or written
    again for a sentence; after edits that change what they show, they equal a clean build's."""
    with_book_wide_pages(minibook)
    out = minibook.parent / "html"
    incremental_html(minibook, out)
    append(minibook / "source/papers/flashattention.md", "\nOne more sentence.\n")
    written = set(re.findall(r"(?:reading sources|writing output)\.\.\. \[\s*\d+%\] (\S+)", incremental_html(minibook, out)))
    assert "papers/flashattention" in written and not written & {"preface", "solutions"}, written
    # An equation that adds to the map's count of a paper's equations on a topic, and an exercise.
    append(minibook / "source/papers/flashattention.md",
           "\n```{math}\n:label: flashattention-added\n:desc: An added equation.\n:topics: softmax\n\nx = y\n```\n"
           + EXERCISE.format(title="A second", slug="flashattention", n=1))
    written = set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", incremental_html(minibook, out)))
    assert {"preface", "solutions"} <= written, written
    clean = tmp_path / "clean" / "html"
    incremental_html(minibook, clean)
    incremental, fresh = html_pages(out), html_pages(clean)
    assert "ex-flashattention-1" in fresh["solutions.html"]
    assert [page for page in fresh if incremental[page] != fresh[page]] == []
