"""The build cache (build_scripts/build_cache.py): a clean build that finds the cache filled does
no drawing and no typesetting an earlier build did, writes what a build without it writes, and is
never served a result of inputs that have since changed."""

import os
import re
import subprocess
import time

from conftest import ROOT, SPHINX
from test_incremental import html_pages

from build_scripts import build_cache
from build_scripts.typeset_math import Kept

FIGURE = "source/figures/transformer_softmax.py"
COUNTED = '\nimport os\nopen(os.environ["FIGURE_RUNS"], "a").write("ran\\n")\n'


def clean_html(book, out, cache, env=None):
    """A build from nothing with ``cache`` as the build cache: ``out``'s folder holds its doctrees,
    and matplotlib's scratch folder beside them, so that nothing of another build is found."""
    command = [*SPHINX, "-E", "-W", "--keep-going", "-n", "-b", "html", "-c", str(book),
               "-D", f"build_cache={cache}", "-d", str(out.parent / "doctrees"),
               str(book / "source"), str(out)]
    return subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env={**os.environ, **(env or {})})


def site(out):
    """What a reader is served: the pages, the figures (without the date they were drawn on, which
    matplotlib writes into each SVG) and the math's stylesheet."""
    files = {name: page for name, page in html_pages(out).items()}
    files.update({str(p.relative_to(out)): re.sub(rb"<dc:date>[^<]*</dc:date>", b"", p.read_bytes())
                  for p in sorted(out.glob("_images/*"))})
    files["math.css"] = (out / "_static/math/math.css").read_bytes()
    return files


def test_a_filled_cache_draws_and_typesets_nothing_and_changes_nothing(minibook, tmp_path):
    script = minibook / FIGURE
    script.write_text(script.read_text() + COUNTED)
    cache, runs = tmp_path / "cache", tmp_path / "runs"
    first = clean_html(minibook, tmp_path / "first" / "html", cache, {"FIGURE_RUNS": str(runs)})
    assert first.returncode == 0, first.stdout[-3000:]
    assert runs.read_text() == "ran\n"
    no_node = tmp_path / "empty-path"  # node cannot be found: every formula must come from the cache
    no_node.mkdir()
    runs.unlink()
    second = clean_html(minibook, tmp_path / "second" / "html", cache, {"FIGURE_RUNS": str(runs), "PATH": str(no_node)})
    assert second.returncode == 0, second.stdout[-3000:]
    assert not runs.exists(), "the figure's script ran again"
    assert site(tmp_path / "second" / "html") == site(tmp_path / "first" / "html")


def test_without_the_cache_the_same_build_needs_node(minibook, tmp_path):
    """The check above can fail: with an empty cache, a build that cannot find node fails."""
    no_node = tmp_path / "empty-path"
    no_node.mkdir()
    proc = clean_html(minibook, tmp_path / "out" / "html", tmp_path / "cache", {"PATH": str(no_node)})
    assert proc.returncode != 0 and "node could not typeset the math" in proc.stdout, proc.stdout[-3000:]


def test_edited_inputs_are_not_served_from_the_cache(minibook, tmp_path):
    cache = tmp_path / "cache"
    assert clean_html(minibook, tmp_path / "before" / "html", cache).returncode == 0
    script, chapter = minibook / FIGURE, minibook / "source/papers/transformer.md"
    script.write_text(script.read_text().replace("(0.5, 1.0, 2.0)", "(0.25, 1.0, 4.0)"))
    text = chapter.read_text()
    assert r"\sqrt{d_k}}\right) V" in text
    chapter.write_text(text.replace(r"\sqrt{d_k}}\right) V", r"\sqrt{d_k}}\right) V^\top"))
    assert clean_html(minibook, tmp_path / "cached" / "html", cache).returncode == 0
    assert clean_html(minibook, tmp_path / "fresh" / "html", tmp_path / "other-cache").returncode == 0
    cached, fresh, before = site(tmp_path / "cached" / "html"), site(tmp_path / "fresh" / "html"), site(tmp_path / "before" / "html")
    assert cached == fresh
    assert cached["_images/transformer_softmax.svg"] != before["_images/transformer_softmax.svg"]
    assert cached["papers/transformer.html"] != before["papers/transformer.html"]


# --- the cache's files --------------------------------------------------------------------------


def test_kept_files_are_restored_and_old_entries_removed(tmp_path):
    kind = tmp_path / "figures"
    drawn = tmp_path / "drawn"
    drawn.mkdir()
    (drawn / "a.svg").write_text("<svg/>")
    build_cache.keep(kind, "old", [drawn / "a.svg"])
    stale = time.time() - (build_cache.MAX_AGE_DAYS + 1) * 86400
    os.utime(kind / "old", (stale, stale))
    build_cache.keep(kind, "new", [drawn / "a.svg"])
    assert sorted(p.name for p in kind.iterdir()) == ["new"], "an entry unused for too long was kept"
    assert build_cache.restore(kind, "new", tmp_path / "out" / "html")
    assert (tmp_path / "out" / "html" / "a.svg").read_text() == "<svg/>"
    assert not build_cache.restore(kind, "missing", tmp_path / "out" / "html")
    build_cache.keep(kind, "empty", [])
    assert not (kind / "empty").exists(), "a result without files was kept"


def test_kept_formulas_carry_the_day_they_were_last_used(tmp_path):
    kept = Kept(tmp_path, "v" * 64)
    kept.add({"Ix": {"html": "<x>"}, "Iy": {"html": "<y>"}}, "css")
    kept.data["items"]["Iy"]["day"] -= build_cache.MAX_AGE_DAYS + 1
    kept.save()
    again = Kept(tmp_path, "v" * 64)
    items = {}
    assert again.take(["Ix", "Iy", "Iz"], items) == ["Iy", "Iz"]
    assert items == {"Ix": {"html": "<x>"}} and again.data["css"] == "css"
    assert [p.name for p in tmp_path.iterdir()] == [again.path.name], "a temporary file was left behind"
