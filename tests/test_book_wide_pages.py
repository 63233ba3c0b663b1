"""build_scripts.book_wide_pages: when a page that shows the whole book is written again."""

from types import SimpleNamespace

from build_scripts.book_wide_pages import BookWidePages


def test_written_again_until_a_build_has_written_what_they_show(tmp_path):
    shown = {"cards": 1}
    pages = BookWidePages("cards", lambda app, env: shown, lambda env: {"index", "gone"})
    app = SimpleNamespace(doctreedir=tmp_path, builder=SimpleNamespace(name="html"))
    env = SimpleNamespace(found_docs={"index", "other"})
    assert pages.outdated(app, env) == ["index"]
    pages.written(app, RuntimeError("the build failed"))
    assert pages.outdated(app, env) == ["index"]  # not written: still to write
    pages.written(app, None)
    assert pages.outdated(app, env) == []
    pages.written(app, None)
    shown["cards"] = 2
    assert pages.outdated(app, env) == ["index"]
    # Each builder has written its own copy of the page.
    pages.written(app, None)
    assert pages.outdated(SimpleNamespace(doctreedir=tmp_path, builder=SimpleNamespace(name="latex")), env) == ["index"]
