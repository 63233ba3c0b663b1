"""Checks of the stated answers of the exercises of topics/convex-duality."""

import numpy as np
import pytest
from exercises.answers import answer, answers


def test_exp_conjugate():
    stated = answer("ex-convex-duality-exp-conjugate")
    u = np.linspace(-20.0, 10.0, 600001)
    for t in (0.3, 1.0, 2.5, 40.0):
        assert stated.value(t=t) == pytest.approx(np.max(t * u - np.exp(u)), abs=1e-6)


def test_halfspace_qp():
    stated = answers("ex-convex-duality-halfspace-qp")
    a, c = np.array([3.0, 4.0]), 10.0
    # primal by projected gradient descent onto the half-plane
    x = np.array([5.0, -3.0])
    for _ in range(2000):
        x = x - 0.1 * x
        if a @ x < c:
            x = x + (c - a @ x) / (a @ a) * a
    p_star = 0.5 * x @ x
    # multiplier from stationarity x = lambda a
    lam = (x @ a) / (a @ a)
    # dual value by maximising the dual function, computed as inf over a grid of x
    grid = np.linspace(-3, 3, 301)
    X1, X2 = np.meshgrid(grid, grid)
    def g(l):
        return np.min(0.5 * (X1**2 + X2**2) + l * (c - a[0] * X1 - a[1] * X2))
    d_star = max(g(l) for l in np.linspace(0, 1, 51))
    assert stated[0].value() == pytest.approx(lam, rel=1e-6)
    assert stated[1].value() == pytest.approx(p_star, rel=1e-6)
    assert stated[1].value() == pytest.approx(d_star, rel=1e-3)


def test_no_slater_dual_function():
    stated = answer("ex-convex-duality-no-slater")
    x = np.linspace(-50.0, 50.0, 2000001)
    for lam in (0.05, 0.5, 3.0):
        assert stated.value(lam=lam) == pytest.approx(np.min(x + lam * x**2), abs=1e-6)
