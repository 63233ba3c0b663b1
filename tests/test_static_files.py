"""build_scripts.static_files: which files of ``_static/`` a site keeps."""

from pathlib import Path

from types import SimpleNamespace

from build_scripts.static_files import _named_in, _occurs, _prune, unused


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def removed(outdir: Path) -> list[str]:
    return [p.relative_to(outdir).as_posix() for p in unused(outdir)]


def test_a_file_a_page_loads_is_kept_with_what_it_names(tmp_path):
    outdir = site(tmp_path, {
        "index.html": '<link href="_static/book.css?v=1" rel="stylesheet"><script>load("data.js")</script>',
        "_static/book.css": "@font-face { src: url(fonts/Main-Regular.woff) }",
        "_static/fonts/Main-Regular.woff": "",
        "_static/data.js": "",
        "_static/unused.js": "",
        "_static/book.css.map": "",
    })
    assert removed(outdir) == ["_static/book.css.map", "_static/unused.js"]


def test_a_name_inside_a_longer_name_does_not_keep_a_file(tmp_path):
    outdir = site(tmp_path, {
        "index.html": '<script src="_static/tippy-popper.js"></script>',
        "_static/tippy-popper.js": "import('./tippy-popper.min.css')",
        "_static/tippy-popper.min.css": "",
        "_static/popper.js": "",
        "_static/min.css": "",
    })
    assert removed(outdir) == ["_static/min.css", "_static/popper.js"]


def test_the_equation_registry_is_kept(tmp_path):
    outdir = site(tmp_path, {"index.html": "", "_static/equations.json": "{}"})
    assert removed(outdir) == []


def test_names_known_by_content_are_not_read_again(tmp_path):
    outdir = site(tmp_path, {
        "index.html": '<script src="_static/data.js"></script>',
        "_static/data.js": "",
        "_static/other.js": "",
    })
    memo: dict = {}
    assert [p.name for p in unused(outdir, memo)] == ["other.js"]
    assert memo["names"] == ["data.js", "other.js"]
    # What the memo says of the page's content is trusted as it stands ...
    trusted = {"names": memo["names"],
               "mentions": {k: (["other.js"] if k.startswith("page:") else v) for k, v in memo["mentions"].items()}}
    assert [p.name for p in unused(outdir, trusted)] == ["data.js"]
    # ... and a page whose content changed is read again.
    (outdir / "index.html").write_text('<script src="_static/other.js"></script>', encoding="utf-8")
    assert [p.name for p in unused(outdir, memo)] == ["data.js"]


def test_a_few_names_are_searched_for_as_whole_words_like_many(tmp_path):
    text = "load('tippy-popper.js'); x.popper.js.map; use(popper.js)\n@font a(b).woff"
    names = {"popper.js", "tippy-popper.js", "js.map", "min.css", "a(b).woff", "c(d).woff"}
    many = _named_in(text, names | {f"padding{i}.js" for i in range(10)})
    assert {n for n in names if _occurs(n, text)} == many == {"popper.js", "tippy-popper.js", "a(b).woff"}


def test_a_file_added_to_static_is_searched_for_in_files_already_read(tmp_path):
    outdir = site(tmp_path, {
        "index.html": "<script>load('data.js'); load('new.js')</script>",
        "_static/data.js": "",
    })
    app = SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=outdir, doctreedir=tmp_path)
    _prune(app, None)
    assert (outdir / "_static/data.js").exists()
    # The page is unchanged, but it was read for the names of the files then in _static.
    (outdir / "_static/new.js").write_text("", encoding="utf-8")
    (outdir / "_static/newer.js").write_text("", encoding="utf-8")
    _prune(app, None)
    assert (outdir / "_static/new.js").exists() and not (outdir / "_static/newer.js").exists()
