"""The time of a test run, split by phase: printed at the end of every ``make test``.

A phase is a shared fixture that builds or starts something (the book in both outputs, the
site's server, the browser, a module's survey of the site) or a test file, whose tests are
timed without those fixtures. Times are wall seconds.
"""

from __future__ import annotations

import time
from collections import defaultdict

import pytest

_shared: dict[str, float] = defaultdict(float)  # "fixture <name>" -> seconds of its setup
_files: dict[str, float] = defaultdict(float)  # test file -> seconds, shared fixtures taken out
_count: dict[str, int] = defaultdict(int)
_inside: list[float] = []  # per running test: seconds of shared fixtures set up during it
_open: list[list[float]] = []  # shared fixtures being set up: [start, seconds of those nested in it]
_started = time.perf_counter()


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if fixturedef.scope not in ("session", "package", "module"):
        yield
        return
    _open.append([time.perf_counter(), 0.0])
    yield
    start, nested = _open.pop()
    seconds = time.perf_counter() - start
    _shared[f"fixture {fixturedef.argname}"] += seconds - nested
    if _open:
        _open[-1][1] += seconds
    elif _inside:
        _inside[-1] += seconds


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _inside.append(0.0)
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start - _inside.pop()
    path = item.nodeid.split("::")[0]
    _files[path] += seconds
    _count[path] += 1


def pytest_terminal_summary(terminalreporter):
    shared = sum(_shared.values())
    total = time.perf_counter() - _started
    write = terminalreporter.write_line
    terminalreporter.section("time by phase (wall seconds)")
    for name, seconds in sorted(_shared.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.05:
            write(f"{seconds:8.1f}  {name}")
    small = [path for path, seconds in _files.items() if seconds < 1]
    for path, seconds in sorted(_files.items(), key=lambda kv: -kv[1]):
        if path not in small:
            write(f"{seconds:8.1f}  {path} ({_count[path]} tests)")
    if small:
        write(f"{sum(_files[p] for p in small):8.1f}  {len(small)} other test files, under a second each "
              f"({sum(_count[p] for p in small)} tests)")
    rest = total - shared - sum(_files.values())
    write(f"{rest:8.1f}  collection and the rest")
    write(f"{total:8.1f}  in all ({total / 60:.1f} min)")
