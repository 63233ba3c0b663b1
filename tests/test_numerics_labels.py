"""Every numerical check names, with ``@pytest.mark.equations``, labels that exist in the book."""

import importlib.util
import inspect
import re

import pytest

from conftest import ROOT

NUMERICS = sorted((ROOT / "tests" / "numerics").glob("test_*.py"))


def book_labels() -> set[str]:
    labels = set()
    for page in (ROOT / "source").rglob("*.md"):
        labels.update(re.findall(r"^:label:\s*(\S+)\s*$", page.read_text(encoding="utf-8"), re.M))
    return labels


def named_labels(path):
    spec = importlib.util.spec_from_file_location(f"numerics_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, obj in vars(module).items():
        if name.startswith("test") and callable(obj):
            marks = [m for m in getattr(obj, "pytestmark", []) if m.name == "equations"]
            yield f"{name} (line {inspect.getsourcelines(obj)[1]})", [label for m in marks for label in m.args]


@pytest.mark.parametrize("path", NUMERICS, ids=lambda p: p.name)
def test_checks_name_existing_equations(path):
    labels = book_labels()
    for name, named in named_labels(path):
        assert named, f"{path.name}::{name} names no equation"
        missing = [label for label in named if label not in labels]
        assert not missing, f"tests/numerics/{path.name}: {name} names labels the book does not define: {missing}"


def test_a_missing_label_is_caught(tmp_path):
    fake = tmp_path / "test_fake.py"
    fake.write_text("import pytest\n\n@pytest.mark.equations('nowhere-label')\ndef test_x():\n    pass\n")
    with pytest.raises(AssertionError, match="nowhere-label"):
        test_checks_name_existing_equations(fake)
