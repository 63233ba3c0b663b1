"""A failing check names the stated answers it evaluated, with their file and line. With
$EXERCISE_TRACE set, each test's evaluated answers and outcome are recorded (``tests/test_exercises.py``
uses it to show that every stated answer has a check that can fail)."""

import json
import os

import pytest

from exercises import answers


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    answers.EVALUATED.clear()
    yield
    item.evaluated = sorted(answers.EVALUATED)


def pytest_runtest_logreport(report):
    trace = os.environ.get("EXERCISE_TRACE")
    if trace and report.when == "call":
        with open(trace, "a", encoding="utf-8") as out:
            out.write(json.dumps({"test": report.nodeid, "failed": report.failed, "evaluated": getattr(report, "evaluated", [])}) + "\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when == "call":
        report = outcome.get_result()
        report.evaluated = getattr(item, "evaluated", sorted(answers.EVALUATED))
        if report.failed and report.evaluated:
            stated = answers.stated_answers()
            lines = [str(a) for label in report.evaluated for a in stated.get(label, [])]
            report.sections.append(("stated answers this check evaluated", "\n".join(lines)))
