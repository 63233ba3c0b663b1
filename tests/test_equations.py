"""Equations as first-class objects: topic links and generated back-links, the equation index,
the label registry, and labels citable from other Sphinx projects through intersphinx."""

import json
import os
import re
import shutil
import subprocess
import sys

from sphinx.util.inventory import InventoryFile

from build_scripts import check_html
from conftest import FIXTURES, ROOT, SPHINX


def registry(book):
    return json.loads((book["html"].outdir / "_static" / "equations.json").read_text())


def source_equations():
    """label -> (page, topics) for every {math} label in the sources."""
    found = {}
    for page in (ROOT / "source").rglob("*.md"):
        for block in re.findall(r"^```+\{math\}\n((?::[\w-]+:.*\n)+)", page.read_text(encoding="utf-8"), re.M):
            options = dict(re.findall(r"^:([\w-]+):\s*(.*)$", block, re.M))
            if "label" in options:
                topics = [t for t in re.split(r"[,\s]+", options.get("topics", "")) if t]
                found[options["label"]] = (page.relative_to(ROOT / "source").with_suffix("").as_posix(), topics)
    return found


def test_registry_lists_every_equation_with_its_shown_number(book):
    reg = registry(book)
    shown = check_html.equation_numbers(book["html"].outdir)
    assert set(reg) == set(shown) == set(source_equations())
    for label, entry in reg.items():
        assert entry["number"] == shown[label], label
        assert entry["description"] and entry["latex"] and entry["chapter"], label
        page, _, anchor = entry["url"].partition("#")
        assert (book["html"].outdir / page).exists() and anchor == f"equation-{label}"


def test_key_equations_link_their_topics_and_topics_link_back(book):
    root = book["html"].outdir
    equations = source_equations()
    for label, (page, topics) in equations.items():
        if not topics:
            continue
        div = check_html._soup(root / f"{page}.html").find(id=f"equation-{label}")
        machinery = div.find_next_sibling("p", class_="machinery")
        assert machinery is not None, label
        hrefs = [a["href"] for a in machinery.find_all("a")]
        linked = {(f"{page}.html" if h.startswith("#") else h).split("/")[-1].removesuffix(".html") for h in hrefs}
        assert linked == set(topics), label
    for topic in {t for _, ts in equations.values() for t in ts}:
        soup = check_html._soup(root / "topics" / f"{topic}.html")
        used = soup.find("section", id="used-in")
        listed = {a["href"].split("#equation-")[-1] for a in used.select("ul.used-in a[href*='#equation-']")}
        expected = {label for label, (_, ts) in equations.items() if topic in ts}
        assert listed == expected, topic


def test_equation_index_lists_every_label(book):
    soup = check_html._soup(book["html"].outdir / "equation-index.html")
    listed = {a["href"].split("#equation-")[-1] for a in soup.select("table a[href*='#equation-']")}
    assert listed == set(source_equations())
    tex = (book["latex"].outdir / "paper-breakdowns.tex").read_text(encoding="utf-8")
    assert all(f"equation:{page}:{label}" in tex for label, (page, _) in source_equations().items())


def test_labels_are_in_the_intersphinx_inventory(book):
    with open(book["html"].outdir / "objects.inv", "rb") as f:
        inventory = InventoryFile.load(f, "", lambda base, uri: uri)
    labels = inventory["std:label"] if isinstance(inventory, dict) else inventory.data["std:label"]
    for label, entry in registry(book).items():
        item = labels[label]
        uri, display = (item[2], item[3]) if isinstance(item, tuple) else (item.uri, item.display_name)
        assert display == f"Eq. ({entry['number']})"
        assert uri.endswith(f"#equation-{label}")


def build_citing_project(book, tmp_path, text=None):
    project = tmp_path / "citing-project"
    shutil.copytree(FIXTURES / "citing-project", project)
    if text is not None:
        (project / "source" / "index.md").write_text(text)
    env = dict(os.environ, BOOK_HTML=str(book["html"].outdir))
    proc = subprocess.run([*SPHINX, "-E", "-W", "--keep-going", "-n", "-b", "html", "-c", str(project),
                           str(project / "source"), str(project / "out")],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, project / "out"


def test_another_project_cites_equations_through_intersphinx(book, tmp_path):
    proc, out = build_citing_project(book, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    links = check_html._soup(out / "index.html").select("a.reference.external")
    reg = registry(book)
    cited = {a["href"].split("#equation-")[-1]: a.get_text() for a in links}
    for label in ("transformer-attention", "flashattention-softmax-merge"):
        assert cited[label] == f"Eq. ({reg[label]['number']})"


def test_citing_a_missing_label_fails_the_other_build(book, tmp_path):
    proc, _ = build_citing_project(book, tmp_path, "# Citing\n\nSee {external+breakdowns:ref}`transformer-nonexistent`.\n")
    assert proc.returncode != 0
    assert re.search(r"index\.md:3: WARNING: .*transformer-nonexistent", proc.stdout), proc.stdout[-2000:]
