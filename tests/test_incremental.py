"""Incremental builds: editing a figure's script redraws the figure and rebuilds the page that
shows it, and only that page."""

import re
import subprocess

from conftest import SPHINX, ROOT


def incremental_html(book, outdir):
    command = [*SPHINX, "-W", "--keep-going", "-n", "-b", "html", "-c", str(book),
               "-d", str(outdir.parent / "doctrees"), str(book / "source"), str(outdir)]
    proc = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return proc.stdout


def test_editing_a_figure_script_redraws_it(minibook):
    out = minibook.parent / "html"
    incremental_html(minibook, out)
    figure = next(out.glob("_images/transformer_softmax*.svg"))
    before = figure.read_text()
    script = minibook / "source/figures/transformer_softmax.py"
    script.write_text(script.read_text().replace("(0.5, 1.0, 2.0)", "(0.25, 1.0, 4.0)"))
    output = incremental_html(minibook, out)
    assert "0 added, 1 changed, 0 removed" in output, output[-2000:]
    assert figure.read_text() != before, "the figure was not redrawn"
    written = re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", output)
    assert "papers/transformer" in written and "papers/flashattention" not in written, written
