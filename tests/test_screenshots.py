"""``make screenshots`` (build_scripts/screenshots.py): the front page, two chapters and a Machinery
page, at desktop and phone sizes, each a screenshot of its own page; and a clear error where there
is no built site."""

import subprocess
import sys
from itertools import combinations

from conftest import ROOT, needs_chromium

from build_scripts.screenshots import PAGES, SIZES

pytestmark = needs_chromium


def screenshots(site, out):
    return subprocess.run([sys.executable, "-m", "build_scripts.screenshots", str(site), str(out)], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_each_page_is_shot_at_both_sizes(book, tmp_path):
    from PIL import Image

    proc = screenshots(book["html"].outdir, tmp_path / "shots")
    assert proc.returncode == 0, proc.stdout[-3000:]
    for size, viewport in SIZES.items():
        shots = {}
        for name in PAGES:
            image = Image.open(tmp_path / "shots" / f"{name}-{size}.png").convert("L")
            assert image.size == (viewport["width"], viewport["height"]), (name, size, image.size)
            assert len(image.getcolors(256)) > 16, f"{name}-{size}.png is nearly blank"
            shots[name] = image.tobytes()
        same = [(a, b) for a, b in combinations(shots, 2) if shots[a] == shots[b]]
        assert not same, f"{size}: the same screenshot for {same}"


def test_without_a_built_site_it_says_so(tmp_path):
    proc = screenshots(tmp_path / "html", tmp_path / "shots")
    assert proc.returncode == 1 and "no built site (run make html first)" in proc.stdout, proc.stdout
