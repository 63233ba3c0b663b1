"""build_scripts.static_files: which files of ``_static/`` a site keeps."""

from pathlib import Path

from build_scripts.static_files import unused


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
