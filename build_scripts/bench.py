"""The build benchmark: ``make bench`` writes ``build/bench.md`` (a table) and ``build/bench.json``.

Usage: ``python -m build_scripts.bench [--quick] [--only ITEMS] [--repeat N] [--repeat-rebuilds N] [--scale-chapters N]``

Every figure is the median of ``--repeat`` runs (wall and CPU seconds, peak memory of the
process tree, :mod:`build_scripts.bench_run`). Builds run on copies of the book in a temporary
directory (:mod:`build_scripts.bench_books`); the sources are never edited. Items:

``check``        ``make check`` from cold, and again with nothing changed;
``clean``        clean HTML build, the Sphinx step of ``make html`` (``-j 1``);
``floor``        the same sources built by bare Sphinx (``build_scripts/bench_floor``);
``incremental``  HTML rebuilds: nothing changed, one sentence, one equation, one figure script;
``latexpdf``     clean ``make latexpdf``: the Sphinx step and the LaTeX runs;
``parallel``     clean HTML build with ``-j auto``, against ``-j 1``;
``scaling``      synthetic books of 1x, 4x and 10x ``--scale-chapters`` chapters;
``browser``      navigation to typeset math of the largest chapter, and of a page of the theme alone (Chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from build_scripts import bench_books
from build_scripts.bench_browser import MILESTONES, time_to_math
from build_scripts.bench_run import Figure, check, measure

ROOT = Path(__file__).resolve().parent.parent
FLOOR_CONF = ROOT / "build_scripts" / "bench_floor"
STRICT = ["-W", "--keep-going", "-n"]  # the Makefile's SPHINXOPTS
ITEMS = ("check", "clean", "floor", "browser", "incremental", "parallel", "scaling", "latexpdf")
SCALES = (1, 4, 10)
#: A page of the theme without math or figures: what any page of the site costs the browser.
BASELINE_PAGE = "genindex.html"
WRITTEN = re.compile(r"writing output\.\.\. \[\s*\d+%\] (\S+)")


def sphinx(project: Path, out: Path, builder: str = "html", opts=STRICT, conf: Path | None = None) -> list[str]:
    """The Makefile's ``$(SPHINX) -b <builder> source <out>``, doctrees beside ``out``."""
    return [sys.executable, "-m", "sphinx", "-c", str(conf or project), "-d", str(out.parent / f"{out.name}-doctrees"),
            *opts, "-b", builder, str(project / "source"), str(out)]


class Bench:
    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args, self.tmp = args, tmp
        self.results: dict[str, dict] = {}
        self.project = bench_books.copy_project(tmp / "book", args.tree)
        self.site: Path | None = None

    def log(self, text: str) -> None:
        print(f"bench: {text}", file=sys.stderr, flush=True)

    def repeated(self, what: str, run, times: int | None = None) -> list:
        samples = []
        times = times or self.args.repeat
        for i in range(times):
            samples.append(run(i))
            self.log(f"{what} [{i + 1}/{times}] {samples[-1].wall:.1f} s wall, {samples[-1].cpu:.1f} s CPU")
        return samples

    def fresh(self, name: str) -> Path:
        folder = self.tmp / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder / "out"

    def clean_build(self, name: str, opts=STRICT, project: Path | None = None, builder: str = "html",
                    keep_cache: bool = False):
        """A build from nothing; from nothing but the build cache (``.cache``) with ``keep_cache``."""
        project = project or self.project
        if not keep_cache:
            shutil.rmtree(project / ".cache", ignore_errors=True)
        out = self.fresh(name)
        sample = check(measure(sphinx(project, out, builder, opts), ROOT), f"{name} build")
        return sample, out

    # --- items ---------------------------------------------------------------------------

    def check(self) -> None:
        command = [sys.executable, "-m", "build_scripts.check_sources", "."]
        cache = self.project / "build"

        def cold(i):
            shutil.rmtree(cache, ignore_errors=True)
            return check(measure(command, self.project), "make check")

        cold_samples = self.repeated("check (cold)", cold)
        warm = self.repeated("check (nothing changed)", lambda i: check(measure(command, self.project), "make check"))
        self.results["check"] = {"cold": Figure.of(cold_samples).as_dict(), "noop": Figure.of(warm).as_dict()}

    def clean(self) -> None:
        samples = []
        for i in range(self.args.repeat):
            sample, out = self.clean_build("clean")
            samples.append(sample)
            self.log(f"clean HTML [{i + 1}/{self.args.repeat}] {sample.wall:.1f} s")
        self.site = out
        self.results["clean"] = {"figure": Figure.of(samples).as_dict(), "pages": len(WRITTEN.findall(samples[-1].output))}
        # the last build filled the cache: a clean build now draws and typesets nothing
        kept = self.repeated("clean HTML, cache kept", lambda i: self.clean_build("clean-cached", keep_cache=True)[0])
        self.results["clean_cached"] = {"figure": Figure.of(kept).as_dict()}

    def clean_wall(self) -> float:
        if "clean" not in self.results:
            self.clean()
        return self.results["clean"]["figure"]["wall"]

    def floor(self) -> None:
        def run(i):
            out = self.fresh("floor")
            return check(measure(sphinx(self.project, out, opts=["--keep-going", "-n"], conf=FLOOR_CONF), ROOT), "floor build")

        samples = self.repeated("floor", run)
        warnings = samples[-1].output.count("WARNING")
        figure = Figure.of(samples).as_dict()
        self.results["floor"] = {"figure": figure, "warnings": warnings,
                                 "clean_over_floor": round(self.clean_wall() / figure["wall"], 2),
                                 "cpu_clean_over_floor": round(self.results["clean"]["figure"]["cpu"] / figure["cpu"], 2)}
        if "clean_cached" in self.results:
            self.results["floor"]["cached_over_floor"] = round(self.results["clean_cached"]["figure"]["wall"] / figure["wall"], 2)

    def incremental(self) -> None:
        """Rebuilds of the last clean build; the edited files are restored afterwards."""
        clean = self.clean_wall()
        out = self.site
        edited = {path: (self.project / path).read_bytes() for path in (bench_books.CHAPTER, bench_books.FIGURE)}
        edits = {"noop": lambda p, n: "nothing", "sentence": bench_books.edit_sentence,
                 "equation": bench_books.edit_equation, "figure": bench_books.edit_figure}
        results = {}
        drawn = {}
        for name, edit in edits.items():
            if name == "figure":
                drawn = {f: f.stat().st_mtime for f in (out.parent / "plot_directive").rglob("transformer_attention_variance*")}
            def run(i, edit=edit, name=name):
                what = edit(self.project, i + 1)
                time.sleep(0.01)  # a distinct mtime
                sample = check(measure(sphinx(self.project, out), ROOT), f"rebuild after {name} edit ({what})")
                return sample

            samples = self.repeated(f"rebuild, {name}", run, self.args.repeat_rebuilds)
            figure = Figure.of(samples).as_dict()
            results[name] = {"figure": figure, "ratio_to_clean": round(figure["wall"] / clean, 3),
                             "cpu_ratio_to_clean": round(figure["cpu"] / self.results["clean"]["figure"]["cpu"], 3),
                             "written": sorted(set(WRITTEN.findall(samples[-1].output))),
                             "config_changed": "configuration has changed" in samples[-1].output}
        index = (out / "equation-index.html").read_text(encoding="utf-8")
        topic = (out / "topics" / "softmax.html").read_text(encoding="utf-8")
        version = f"(v{self.args.repeat_rebuilds})"
        results["equation"]["backlinks_updated"] = version in topic and version in index
        results["figure"]["figure_redrawn"] = bool(drawn) and all(f.stat().st_mtime > t for f, t in drawn.items())
        self.results["incremental"] = results
        for path, data in edited.items():
            (self.project / path).write_bytes(data)

    def latexpdf(self) -> None:
        sphinx_samples, tex_samples = [], []
        for i in range(self.args.repeat):
            sample, out = self.clean_build("latex", builder="latex")
            sphinx_samples.append(sample)
            command = [sys.executable, "-m", "build_scripts.latexpdf", str(out), str(self.project / "source")]
            tex_samples.append(check(measure(command, self.project), "LaTeX runs"))
            self.log(f"latexpdf [{i + 1}/{self.args.repeat}] Sphinx {sample.wall:.1f} s, LaTeX {tex_samples[-1].wall:.1f} s")
        self.results["latexpdf"] = {"sphinx": Figure.of(sphinx_samples).as_dict(), "latex": Figure.of(tex_samples).as_dict()}

    def parallel(self) -> None:
        def run(i):
            return self.clean_build("parallel", opts=[*STRICT, "-j", "auto"])[0]

        figure = Figure.of(self.repeated("clean HTML -j auto", run)).as_dict()
        self.results["parallel"] = {"figure": figure, "cpus": os.cpu_count(),
                                    "j1_over_jauto": round(self.clean_wall() / figure["wall"], 2),
                                    "cpu_jauto_over_j1": round(figure["cpu"] / self.results["clean"]["figure"]["cpu"], 2)}

    def scaling(self) -> None:
        chapters, results = self.args.scale_chapters, {}
        for times in SCALES:
            project = bench_books.synthetic_book(self.tmp / f"scale-{times}", chapters, times, self.args.tree)

            def run(i, project=project):
                out = self.fresh(f"scale-{times}-build")
                return check(measure(sphinx(project, out, opts=["--keep-going", "-n"]), ROOT), f"{times}x book")

            figure = Figure.of(self.repeated(f"{times}x book ({chapters * times} chapters)", run)).as_dict()
            results[f"{times}x"] = {"chapters": chapters * times, "figure": figure}
            shutil.rmtree(project, ignore_errors=True)
        one = results["1x"]["figure"]
        for key, value in results.items():
            value["time_ratio"] = round(value["figure"]["wall"] / one["wall"], 2)
            value["cpu_ratio"] = round(value["figure"]["cpu"] / one["cpu"], 2)
            value["memory_ratio"] = round(value["figure"]["peak_mib"] / one["peak_mib"], 2)
        self.results["scaling"] = results

    def browser(self) -> None:
        from build_scripts.local_site import CHROMIUM

        if not CHROMIUM.exists():
            self.results["browser"] = {"skipped": f"{CHROMIUM} is not installed (make browser)"}
            return
        if self.site is None:
            self.site = self.clean_build("browser-site")[1]
        largest = max((self.site / "papers").glob("*.html"), key=lambda p: p.stat().st_size)  # the heaviest page
        found = {"largest": time_to_math(self.site, f"papers/{largest.name}", self.args.repeat),
                 "baseline": time_to_math(self.site, BASELINE_PAGE, self.args.repeat)}
        self.results["browser"] = found
        for item in found.values():
            self.log(f"browser {item['page']}: " + ", ".join(f"{k} {item[k]['median']:.2f} s" for k in MILESTONES if k in item))


# --- report ---------------------------------------------------------------------------------------


def _row(what: str, f: dict | None, note: str = "") -> str:
    if not f:
        return f"| {what} | | | | {note} |"
    return f"| {what} | {f['wall']:.2f} | {f['cpu']:.2f} | {f['peak_mib']:.0f} | {note} |"


def markdown(results: dict, meta: dict) -> str:
    lines = ["# Build benchmark", "", f"`{meta['command']}` on {meta['date']}: {meta['cpus']} CPUs, "
             f"load average {meta['load']} at the start; each figure the median of {meta['repeat']} run(s) "
             f"({meta['repeat_rebuilds']} for the rebuilds).", "",
             "| what | wall s | CPU s | peak MiB | note |", "| --- | ---: | ---: | ---: | --- |"]
    r = results
    if "check" in r:
        lines.append(_row("`make check`, cold", r["check"]["cold"]))
        lines.append(_row("`make check`, nothing changed", r["check"]["noop"]))
    if "clean" in r:
        lines.append(_row("clean HTML (Sphinx step of `make html`), empty `.cache/`", r["clean"]["figure"], f"{r['clean']['pages']} pages"))
    if "clean_cached" in r:
        ratio = r.get("floor", {}).get("cached_over_floor")
        lines.append(_row("clean HTML, `.cache/` kept from the build before", r["clean_cached"]["figure"],
                          f"cached / floor = {ratio}x wall" if ratio else ""))
    if "floor" in r:
        lines.append(_row("floor: bare Sphinx, same sources", r["floor"]["figure"],
                          f"clean / floor = {r['floor']['clean_over_floor']}x wall, {r['floor']['cpu_clean_over_floor']}x CPU; {r['floor']['warnings']} warnings"))
    for name, label in (("noop", "nothing changed"), ("sentence", "one sentence edited"),
                        ("equation", "one equation edited"), ("figure", "one figure script edited")):
        if name in r.get("incremental", {}):
            item = r["incremental"][name]
            extra = ""
            if name == "equation":
                extra = f"; back-links and index updated: {item['backlinks_updated']}"
            if name == "figure":
                extra = f"; figure redrawn: {item['figure_redrawn']}"
            lines.append(_row(f"rebuild, {label}", item["figure"],
                              f"{item['ratio_to_clean']}x clean wall, {item['cpu_ratio_to_clean']}x CPU; pages written: {', '.join(item['written']) or 'none'}{extra}"))
    if "latexpdf" in r:
        lines.append(_row("clean `make latexpdf`: Sphinx step", r["latexpdf"]["sphinx"]))
        lines.append(_row("clean `make latexpdf`: LaTeX runs", r["latexpdf"]["latex"], "latexmk"))
    if "parallel" in r:
        lines.append(_row("clean HTML, `-j auto`", r["parallel"]["figure"], f"wall -j 1 / -j auto = {r['parallel']['j1_over_jauto']}x; CPU -j auto / -j 1 = {r['parallel']['cpu_jauto_over_j1']}x"))
    for key, item in r.get("scaling", {}).items():
        lines.append(_row(f"synthetic book {key} ({item['chapters']} chapters)", item["figure"],
                          f"wall {item['time_ratio']}x, CPU {item['cpu_ratio']}x, memory {item['memory_ratio']}x the 1x book"))
    if "browser" in r:
        b = r["browser"]
        if "skipped" in b:
            lines.append(f"| browser | | | | skipped: {b['skipped']} |")
        else:
            for role, item in (("largest chapter", b["largest"]), ("theme only", b["baseline"])):
                for key, label in MILESTONES.items():
                    if key in item:
                        lines.append(f"| browser, {role} `{item['page']}` ({item['bytes'] / 1e6:.2f} MB): {label} "
                                     f"| {item[key]['median']:.2f} | | | runs {item[key]['walls']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run each, a 1-chapter unit for scaling")
    parser.add_argument("--only", default=",".join(ITEMS), help=f"comma-separated items of: {', '.join(ITEMS)}")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 3; 1 with --quick)")
    parser.add_argument("--repeat-rebuilds", type=int, default=None, help="runs per incremental rebuild (default: --repeat)")
    parser.add_argument("--scale-chapters", type=int, default=None, help="chapters of the 1x synthetic book (default 6; 2 with --quick)")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose book is measured (default: this one)")
    parser.add_argument("--out", type=Path, default=ROOT / "build", help="where bench.md and bench.json go")
    args = parser.parse_args(argv)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.repeat_rebuilds = args.repeat_rebuilds or args.repeat
    args.scale_chapters = args.scale_chapters or (2 if args.quick else 6)
    only = [item.strip() for item in args.only.split(",") if item.strip()]
    unknown = set(only) - set(ITEMS)
    if unknown:
        parser.error(f"unknown items: {', '.join(sorted(unknown))}")
    args.tree = args.tree.resolve()
    meta = {"tree": str(args.tree), "command": "python -m build_scripts.bench " + " ".join(argv if argv is not None else sys.argv[1:]),
            "date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "repeat": args.repeat,
            "repeat_rebuilds": args.repeat_rebuilds,
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()), "python": platform.python_version(),
            "scale_chapters": args.scale_chapters}
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        bench = Bench(args, Path(tmp))
        for item in ITEMS:
            if item in only:
                getattr(bench, item)()
                write(args.out, bench.results, meta)  # what is measured so far, should a later item fail
    print((args.out / "bench.md").read_text())
    return 0


def write(out: Path, results: dict, meta: dict) -> None:
    (out / "bench.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1) + "\n")
    (out / "bench.md").write_text(markdown(results, meta))


if __name__ == "__main__":
    sys.exit(main())
