"""Figures drawn by code: matplotlib's ``plot`` directive, usable from MyST Markdown.

A chapter writes::

    ```{plot} transformer_attention_variance.py
    :caption: ...
    ```

and the script in ``source/figures/`` is run at build time; the figure is SVG in the HTML and PDF
in the LaTeX output (``plot_formats``), and a build draws only the format its builder shows. HTML
and LaTeX builds may share a doctree directory: a page whose figures lack the current builder's
format is read again, which draws it. matplotlib's directive emits reStructuredText into the
state machine, which MyST's does not accept; here that text is parsed as reStructuredText and
the nodes are returned in its place. Everything else is matplotlib's, except that

* the script is a dependency of the page: editing it rebuilds the page and redraws the figure;
* a script that fails, or draws no figure, is an error at the page's line, naming the script;
* a figure's files are kept in the book's ``build_cache`` (``build_scripts/build_cache.py``),
  under a digest of the script, its formats, the directive's settings and the versions of
  matplotlib and numpy, so that a clean build copies a figure an earlier build drew instead of
  running its script again.

The nodes parsed from that text are moved to the page's document: a node left pointing at the
scratch document it was parsed in would pickle that document with the page's doctree, and with
its settings the whole build environment (a megabyte in every page with a figure).

Importing matplotlib takes most of a second, and a build that reads no page (nothing changed)
draws nothing: matplotlib's directive is set up when the first page is read or removed. Its
configuration values are declared here at start-up, so that Sphinx compares them with the last
build's; ``tests/test_figures.py`` checks they are matplotlib's own.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from docutils.utils import new_document
from myst_parser.mocking import MockRSTParser
from sphinx.application import Sphinx

from build_scripts import build_cache

# matplotlib's plot directive: its configuration values (name: default, each rebuilding the
# pages) and its style sheet, declared before matplotlib is imported
CONFIG = {
    "plot_pre_code": None, "plot_include_source": False, "plot_html_show_source_link": True,
    "plot_formats": ["png", "hires.png", "pdf"], "plot_basedir": None, "plot_html_show_formats": True,
    "plot_rcparams": {}, "plot_apply_rcparams": False, "plot_working_directory": None,
    "plot_template": None, "plot_srcset": [],
}
CSS = "plot_directive.css"


class _Collector:
    """Stands in for the state machine: keeps the text the directive inserts."""

    def __init__(self, state_machine) -> None:
        self._state_machine = state_machine
        self.inserted: list[tuple[list[str], str]] = []

    def insert_input(self, lines, source) -> None:
        self.inserted.append((list(lines), source))

    def __getattr__(self, name):
        return getattr(self._state_machine, name)


def _directive(plot_directive) -> type:
    """The ``plot`` directive: matplotlib's, usable from MyST (see the module's docstring)."""

    class PlotDirective(plot_directive.PlotDirective):
        def run(self) -> list[nodes.Node]:
            if type(self.state_machine).__name__ != "MockStateMachine":  # reStructuredText
                return super().run()
            collector = _Collector(self.state_machine)
            document = self.state.document
            env = document.settings.env
            if self.arguments:
                script = Path(env.config.plot_basedir or env.srcdir, self.arguments[0])
                env.note_dependency(str(script if script.is_absolute() else Path(env.app.confdir) / script))
            config, formats = env.config, env.config.plot_formats
            config.plot_formats = _formats_for(env.app.builder.format, formats)
            try:
                messages = plot_directive.run(
                    self.arguments, self.content, self.options, collector, self.state, self.lineno
                )
            except Exception as err:  # matplotlib reports some script errors this way
                raise self.error(f"figure script {self.arguments[0]}: {err}") from err
            finally:
                config.plot_formats = formats
            failed = [m for m in messages or [] if "Exception occurred in plotting" in m.astext()]
            if failed:
                last = [line for line in failed[0].astext().splitlines() if line.strip()][-1]
                raise self.error(f"figure script {self.arguments[0]} failed: {last.strip()}")
            if not any("figure::" in line or "image::" in line for lines, _ in collector.inserted for line in lines):
                raise self.error(f"figure script {self.arguments[0]} drew no figure: leave a matplotlib figure open")
            result: list[nodes.Node] = list(messages or [])
            for lines, _source in collector.inserted:
                newdoc = new_document(document["source"], document.settings)
                newdoc.reporter = document.reporter
                MockRSTParser().parse("\n" * (self.lineno - 1) + "\n".join(StringList(lines)), newdoc)
                for node in newdoc.children:
                    for descendant in node.findall():
                        descendant.document = document
                result.extend(newdoc.children)
            _figures(env).setdefault(env.docname, set()).update(
                env.relfn2path(image["uri"][:-2], env.docname)[1]
                for node in result for image in node.findall(nodes.image) if image["uri"].endswith(".*")
            )
            return result

    return PlotDirective


BUILDER_FORMAT = {"html": "svg", "latex": "pdf"}  # the format each kind of builder shows


def _formats_for(builder_format: str, formats: list) -> list:
    wanted = BUILDER_FORMAT.get(builder_format)
    chosen = [f for f in formats if (f if isinstance(f, str) else f[0]) == wanted]
    return chosen or formats


def _figures(env) -> dict[str, set[str]]:
    """The figures (paths without their extension) each page shows."""
    if not hasattr(env, "figure_outputs"):
        env.figure_outputs = {}
    return env.figure_outputs


def _purge(app: Sphinx, env, docname: str) -> None:
    _figures(env).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    for docname in docnames:
        if docname in _figures(other):
            _figures(env)[docname] = _figures(other)[docname]


def _missing_format(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages whose figures were drawn for another builder only: read again, which draws them."""
    if removed:
        _set_up_matplotlib(app)  # its registry of figure names forgets the removed pages
    ext = BUILDER_FORMAT.get(app.builder.format)
    if ext is None:
        return []
    read_anyway = added | changed | removed
    return [doc for doc, figures in _figures(env).items()
            if doc not in read_anyway and any(not Path(f"{f}.{ext}").exists() for f in figures)]


def _before_reading(app: Sphinx, env, docnames: list[str]) -> None:
    if docnames:
        _set_up_matplotlib(app)


def _set_up_matplotlib(app: Sphinx) -> None:
    """What matplotlib's ``setup`` does besides declaring ``CONFIG`` and ``CSS``, done once."""
    if getattr(app, "_pb_matplotlib", False):
        return
    app._pb_matplotlib = True
    from matplotlib.sphinxext import plot_directive

    setup = plot_directive.setup
    setup.app, setup.config, setup.confdir = app, app.config, app.confdir
    app.add_directive("plot", _directive(plot_directive), override=True)
    app.connect("doctree-read", plot_directive.mark_plot_labels)
    plot_directive.init_filename_registry(app)
    if not getattr(plot_directive.render_figures, "cached", False):
        plot_directive.render_figures = _cached(plot_directive.render_figures)
    app.add_env_collector(plot_directive._FilenameCollector)


def _cached(render):
    """matplotlib's ``render_figures``, first given the files an earlier build drew from the same
    inputs: with them in place and newer than the script, matplotlib draws nothing."""

    def render_figures(code, code_path, output_dir, output_base, context, function_name, config, **options):
        from matplotlib.sphinxext import plot_directive

        kind = build_cache.folder(plot_directive.setup.app, "figures")
        if kind is None or context or options.get("code_includes"):
            return render(code, code_path, output_dir, output_base, context, function_name, config, **options)
        import matplotlib
        import numpy

        key = build_cache.digest(1, code, output_base, function_name, plot_directive.get_plot_formats(config),
                                 {name: config[name] for name in CONFIG}, matplotlib.__version__,
                                 numpy.__version__, options)
        build_cache.restore(kind, key, Path(output_dir))
        results = render(code, code_path, output_dir, output_base, context, function_name, config, **options)
        build_cache.keep(kind, key, [Path(image.filename(fmt)) for _code, images in results
                                     for image in images for fmt in image.formats])
        return results

    render_figures.cached = True
    return render_figures


def _copy_css(app: Sphinx, exception: Exception | None) -> None:
    """matplotlib's style sheet into ``_static``, found without importing matplotlib."""
    if exception is None and app.builder.format == "html":
        package = importlib.util.find_spec("matplotlib").submodule_search_locations[0]
        (app.outdir / "_static").mkdir(exist_ok=True)
        shutil.copyfile(Path(package, "mpl-data", "plot_directive", CSS), app.outdir / "_static" / CSS)


def setup(app: Sphinx) -> dict:
    app.setup_extension("build_scripts.build_cache")
    for name, default in CONFIG.items():
        app.add_config_value(name, default, "env")
    app.add_css_file(CSS)
    app.connect("build-finished", _copy_css)
    app.connect("env-get-outdated", _missing_format)
    app.connect("env-before-read-docs", _before_reading)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
