"""build_scripts/figures.py sets up matplotlib's plot directive late, when a page is read: what it
declares at start-up and what it does then must together be what matplotlib's own setup does."""

import importlib
from types import SimpleNamespace

from matplotlib.sphinxext import plot_directive

from build_scripts import figures


class _Recorder:
    """A stand-in for the Sphinx application that records what an extension's setup asks of it."""

    def __init__(self):
        self.config_values, self.css_files, self.handlers, self.collectors = {}, [], [], []
        self.config = self.confdir = None
        self.builder = SimpleNamespace(env=SimpleNamespace())

    def setup_extension(self, name):
        importlib.import_module(name).setup(self)

    def add_config_value(self, name, default, rebuild, *args, **kwargs):
        self.config_values[name] = (default, "env" if rebuild is True else rebuild)

    def add_css_file(self, name, **kwargs):
        self.css_files.append(name)

    def add_directive(self, name, cls, override=False):
        pass

    def connect(self, event, handler, priority=500):
        self.handlers.append((event, handler.__name__))

    def add_env_collector(self, collector):
        self.collectors.append(collector.__name__)


def test_the_declared_configuration_is_matplotlibs():
    theirs = _Recorder()
    plot_directive.setup(theirs)
    ours = _Recorder()
    figures.setup(ours)
    assert {name: value for name, value in ours.config_values.items() if name.startswith("plot_")} == theirs.config_values
    assert ours.css_files == theirs.css_files == [figures.CSS]


def test_what_is_set_up_late_is_the_rest_of_matplotlibs_setup():
    """Every handler and collector of matplotlib's setup is in place once a page is read: its
    builder-inited handler has run, its style sheet is copied by our own handler (which finds it
    without importing matplotlib), the rest are registered as they are."""
    theirs = _Recorder()
    plot_directive.setup(theirs)
    ours = _Recorder()
    figures.setup(ours)
    figures._set_up_matplotlib(ours)
    expected = [(event, handler) for event, handler in theirs.handlers if event != "builder-inited"]
    expected = [("build-finished", "_copy_css") if h == "_copy_css_file" else (e, h) for e, h in expected]
    assert set(expected) <= set(ours.handlers)
    assert [h for e, h in theirs.handlers if e == "builder-inited"] == ["init_filename_registry"]
    assert hasattr(ours.builder.env, "mpl_plot_image_basenames")
    assert ours.collectors == theirs.collectors
