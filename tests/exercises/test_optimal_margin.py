"""Checks of the stated answers of the exercises of papers/optimal-margin."""

import math

import numpy as np
import pytest
from exercises.answers import answer, answers


def dual_objective(alpha, y, K):
    return alpha.sum() - 0.5 * alpha @ ((y[:, None] * y[None, :]) * K) @ alpha


def poly2_features(x):
    """Explicit feature map of the kernel (x . x' + 1)^2."""
    n = len(x)
    cross = [math.sqrt(2) * x[i] * x[j] for i in range(n) for j in range(i + 1, n)]
    return np.concatenate([[1.0], math.sqrt(2) * x, x**2, cross])


def test_two_points():
    stated = answers("ex-optimal-margin-two-points")
    rng = np.random.default_rng(1)
    y = np.array([1.0, -1.0])
    for _ in range(3):
        X = rng.standard_normal((2, 3)) * [[1.0], [2.0]]
        K = (X @ X.T + 1.0) ** 2                      # a polynomial kernel
        phi = np.array([poly2_features(x) for x in X])
        assert np.allclose(phi @ phi.T, K)
        delta = K[0, 0] - 2 * K[0, 1] + K[1, 1]
        # maximise the dual on its feasible set alpha_1 = alpha_2 = a >= 0 by ternary search
        lo, hi = 0.0, 100.0 / delta
        for _ in range(200):
            m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
            if dual_objective(np.array([m1, m1]), y, K) < dual_objective(np.array([m2, m2]), y, K):
                lo = m1
            else:
                hi = m2
        assert stated[0].value(Delta=delta) == pytest.approx(lo, rel=1e-7)
        # primal in feature space: w = c (phi_1 - phi_2), both patterns on the margin,
        # c (phi_1 - phi_2) . phi_k + b = y_k, a 2 x 2 linear system for (c, b)
        d = phi[0] - phi[1]
        c, b = np.linalg.solve(np.array([[d @ phi[0], 1.0], [d @ phi[1], 1.0]]), y)
        w = c * d
        assert stated[1].value(Delta=delta) == pytest.approx(1 / np.linalg.norm(w), rel=1e-9)
        assert stated[2].value(K11=K[0, 0], K22=K[1, 1], Delta=delta) == pytest.approx(b, rel=1e-9, abs=1e-12)


def test_nonseparable():
    stated = answers("ex-optimal-margin-nonseparable")
    x = np.array([0.3, -1.2])
    K = np.exp(-0.5 * np.sum((np.array([x, x])[:, None] - np.array([x, x])[None]) ** 2, axis=-1))
    y = np.array([1.0, -1.0])
    for a in (0.5, 3.0, 100.0):
        assert stated[0].value(a=a) == pytest.approx(dual_objective(np.array([a, a]), y, K), rel=1e-12)
    for C in (0.1, 2.0):
        grid = np.linspace(0.0, C, 1001)
        best = max(dual_objective(np.array([a, a]), y, K) for a in grid)
        assert stated[1].value(C=C) == pytest.approx(best, rel=1e-12)


def test_dual_size():
    stated = answers("ex-optimal-margin-dual-size")
    p = 7300
    full = np.zeros((p, 1), dtype=np.float32).nbytes * p           # p rows of p single-precision numbers
    upper = sum(p - i for i in range(p)) * np.dtype(np.float32).itemsize
    assert stated[0].value() == pytest.approx(full, rel=1e-9)
    assert stated[1].value() == pytest.approx(upper, rel=1e-9)
    # largest expected number of supporting patterns with E[m]/p <= 4.9%
    assert stated[2].value() == pytest.approx(0.049 * p, rel=1e-9)


def test_smo_margin():
    stated = answers("ex-optimal-margin-smo")
    # the same data, the margin by brute force over directions of the normal vector
    rng = np.random.default_rng(0)
    X = np.array([[1.0, 0.0], [1.0, 2.5], [-1.0, 0.5], [-1.0, 2.0]])
    y = np.array([1.0, 1.0, -1.0, -1.0])
    far = rng.uniform(-2.0, 2.0, size=(36, 2))
    far[:, 0] = np.sign(far[:, 0]) * (1.5 + np.abs(far[:, 0]))
    X = np.vstack([X, far])
    y = np.concatenate([y, np.sign(far[:, 0])])
    theta = np.linspace(-np.pi, np.pi, 20001)
    W = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    proj = X @ W.T
    margin = (np.min(np.where(y[:, None] > 0, proj, np.inf), axis=0)
              - np.max(np.where(y[:, None] < 0, proj, -np.inf), axis=0)) / 2
    best = margin.max()
    k = int(np.argmax(margin))                               # refine around the best direction
    theta = np.linspace(theta[k] - 1e-3, theta[k] + 1e-3, 20001)
    W = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    proj = X @ W.T
    margin = (np.min(np.where(y[:, None] > 0, proj, np.inf), axis=0)
              - np.max(np.where(y[:, None] < 0, proj, -np.inf), axis=0)) / 2
    best = max(best, margin.max())
    assert stated[1].value() == pytest.approx(best, abs=1e-9)
    assert stated[0].value() == pytest.approx(1 / best**2, abs=1e-8)   # sum of multipliers = |w|^2
