"""Run one command and measure it: wall and CPU seconds, peak memory of its process tree.

Each measured command runs under a small wrapper process, so that ``getrusage(RUSAGE_CHILDREN)``
of the wrapper covers exactly the command's process tree: CPU is user plus system time of every
process of the tree, and peak memory is the largest resident set of any one process of it
(``ru_maxrss``; with ``-j`` workers it is the largest worker, not their sum).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

WRAPPER = r"""
import json, resource, subprocess, sys
proc = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.buffer.write(proc.stdout)
print(json.dumps({"rc": proc.returncode, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kib": usage.ru_maxrss}))
"""


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mib: float
    returncode: int
    output: str = field(default="", repr=False)


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``command`` in ``cwd`` once; its output is kept on the sample (stdout and stderr)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(cwd), *command],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )
    wall = time.perf_counter() - start
    usage = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    return Sample(wall, usage["cpu"], usage["maxrss_kib"] / 1024, usage["rc"],
                  proc.stderr.decode("utf-8", errors="replace"))


@dataclass
class Figure:
    """The median of several samples of one measurement."""

    wall: float
    cpu: float
    peak_mib: float
    runs: int
    walls: list[float]

    @classmethod
    def of(cls, samples: list[Sample]) -> "Figure":
        return cls(
            statistics.median(s.wall for s in samples),
            statistics.median(s.cpu for s in samples),
            statistics.median(s.peak_mib for s in samples),
            len(samples),
            [round(s.wall, 2) for s in samples],
        )

    def as_dict(self) -> dict:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def check(sample: Sample, what: str) -> Sample:
    """Stop the benchmark when a measured build failed: its figure would mean nothing."""
    if sample.returncode != 0:
        sys.stderr.write(sample.output[-4000:])
        raise SystemExit(f"bench: {what} failed (exit status {sample.returncode})")
    return sample
