import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_filter_match():
    stated = answer("ex-linearised-training-filter-match")
    for lam, mu in [(0.5, 0.1), (2.0, 3.0), (0.01, 1.0)]:
        lo, hi = 0.0, 1e4
        for _ in range(200):                     # bisection on the filter difference
            t = (lo + hi) / 2
            if 1 - math.exp(-lam * t) < lam / (lam + mu):
                lo = t
            else:
                hi = t
        assert stated.value(lam=lam, mu=mu) == pytest.approx(lo, rel=1e-9)


def test_gd_steps():
    formula, at_100, step_limit = answers("ex-linearised-training-gd-steps")
    for kappa in (10.0, 100.0, 1000.0):
        lam_max, lam_min = 1.0, 1.0 / kappa
        eta = 1.0 / lam_max
        residual, steps = 1.0, 0
        while residual > math.exp(-1):           # whole steps until the slow mode has shrunk by e
            residual *= 1 - eta * lam_min
            steps += 1
        lo, hi = steps - 1.0, float(steps)       # real k with (1 - eta lam_min)^k = 1/e, by bisection
        for _ in range(100):
            mid = (lo + hi) / 2
            if (1 - eta * lam_min) ** mid > math.exp(-1):
                lo = mid
            else:
                hi = mid
        assert formula.value(kappa=kappa) == pytest.approx(lo, rel=1e-9)
        if kappa == 100.0:
            assert at_100.value() == pytest.approx(lo, rel=1e-5)
    for lam_max in (0.5, 3.0):                   # largest stable step: |1 - eta lam_max| < 1
        eta = np.linspace(1e-4, 10.0, 1_000_001)
        stable = eta[np.abs(1 - eta * lam_max) < 1]
        assert step_limit.value(lam_max=lam_max) == pytest.approx(stable.max(), abs=2e-5)


def test_relu_expectations():
    stated = answers("ex-linearised-training-relu-mc")
    n = 1200
    dx = 16 / n
    x = -8 + (np.arange(n) + 0.5) * dx           # midpoint rule; no grid point on the axes
    u, v = np.meshgrid(x, x, indexing="ij")
    cov = np.array([[1.0, 0.5], [0.5, 1.0]])
    inv = np.linalg.inv(cov)
    dens = np.exp(-0.5 * (inv[0, 0] * u**2 + 2 * inv[0, 1] * u * v + inv[1, 1] * v**2))
    dens /= 2 * math.pi * math.sqrt(np.linalg.det(cov))
    relu = (np.maximum(u, 0) * np.maximum(v, 0) * dens).sum() * dx * dx
    step = (((u > 0) & (v > 0)) * dens).sum() * dx * dx
    assert stated[0].value() == pytest.approx(relu, abs=1e-4)
    assert stated[1].value() == pytest.approx(step, abs=1e-4)
