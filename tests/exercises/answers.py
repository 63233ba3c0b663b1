"""The exercises and stated answers of the book, read from its sources.

``answer("ex-adam-bias")`` is the one ``{answer}`` of that exercise's solution, ``answers(...)`` all
of them in order. A test evaluates a stated answer with ``.value(**variables)`` and compares it with
its own computation. The sources are ``source/`` of the book, or ``$BOOK_SOURCE`` when that is set
(the fixture tests point it at a copy with a wrong answer).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from build_scripts import answers as role

ROOT = Path(__file__).resolve().parents[2]
#: The exercises whose answers the running test evaluated (see conftest.py).
EVALUATED: set[str] = set()
FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>exercise|solution)\}\s*(?P<arg>.*?)\s*$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
ANSWER = re.compile(r"\{answer\}`(?P<text>[^`]+)`")


@dataclass(frozen=True)
class Exercise:
    label: str
    kind: str
    path: Path
    line: int
    solution: tuple[str, ...] = ()  # the solution's lines


@dataclass(frozen=True)
class Answer:
    exercise: str
    tex: str
    expression: str
    path: Path
    line: int

    def value(self, **variables: float):
        EVALUATED.add(self.exercise)
        return role.evaluate(self.expression, **variables)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: answer to {self.exercise}: {self.expression}"


def source_dir() -> Path:
    return Path(os.environ.get("BOOK_SOURCE", ROOT / "source"))


def _blocks(path: Path):
    """(name, argument, options, first line number, body lines) of each exercise and solution block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = FENCE_OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        start, fence = i, match["fence"]
        i += 1
        options, body = {}, []
        while i < len(lines) and (opt := OPTION.match(lines[i])):
            options[opt["key"]] = opt["value"]
            i += 1
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append((i + 1, lines[i]))
            i += 1
        yield match["name"], match["arg"], options, start + 1, body
        i += 1


@cache
def _read(source: Path) -> tuple[dict[str, Exercise], dict[str, list[Answer]]]:
    exercises: dict[str, Exercise] = {}
    stated: dict[str, list[Answer]] = {}
    for path in sorted(source.rglob("*.md")):
        for name, arg, options, line, body in _blocks(path):
            if name == "exercise":
                label = options.get("label", "")
                exercises[label] = Exercise(label, options.get("class", ""), path, line)
            else:
                target = arg
                if target in exercises:
                    exercises[target] = Exercise(**{**exercises[target].__dict__, "solution": tuple(t for _, t in body)})
                for number, text in body:
                    for found in ANSWER.finditer(text):
                        tex, expr = role.parse(found["text"])
                        stated.setdefault(target, []).append(Answer(target, tex, expr, path, number))
    return exercises, stated


def exercises() -> dict[str, Exercise]:
    """Every exercise of the book, by label."""
    return _read(source_dir())[0]


def stated_answers() -> dict[str, list[Answer]]:
    """Every stated answer, by the label of its exercise."""
    return _read(source_dir())[1]


def answers(label: str) -> list[Answer]:
    """The answers of exercise ``label``'s solution, in order."""
    found = stated_answers().get(label)
    assert found, f"no {{answer}} in a solution to {label!r} under {source_dir()}"
    return found


def answer(label: str) -> Answer:
    """The single answer of exercise ``label``'s solution."""
    found = answers(label)
    assert len(found) == 1, f"{label}: {len(found)} answers; use answers({label!r})[i]"
    return found[0]
