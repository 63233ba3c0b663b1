"""Checks of the answers to the exercises of the orthogonalised-optimisers page."""

import numpy as np
import pytest

from exercises.answers import answers


def polar(M, tol=1e-10):
    U, s, Vt = np.linalg.svd(M, full_matrices=False)
    keep = s > tol * s[0]
    return U[:, keep] @ Vt[keep]


def test_rank_deficient():
    plain, closed, example = answers("ex-orthogonalised-optimisers-rank-deficient")
    rng = np.random.default_rng(4)
    for A, B, r in [(12, 30, 1), (40, 9, 3), (16, 16, 16), (25, 18, 7)]:
        M = rng.normal(size=(A, r)) @ rng.normal(size=(r, B))
        O = polar(M)
        assert plain.value(r=r, A=A, B=B) == pytest.approx(np.sqrt(np.mean(O**2)), rel=1e-9)
        step = 0.2 * np.sqrt(max(A, B)) * O
        assert closed.value(r=r, p=min(A, B)) == pytest.approx(np.sqrt(np.mean(step**2)), rel=1e-9)
    # the rank-one example, through the Frobenius norm of u v^T / (|u| |v|), which is one
    A, B = 7168, 18432
    assert example.value() == pytest.approx(0.2 * np.sqrt(max(A, B)) * 1.0 / np.sqrt(A * B), rel=1e-12)


def test_cubic_steps():
    stated = answers("ex-orthogonalised-optimisers-cubic-steps")[0]
    # iterate the matrix map on a diagonal matrix with singular value 1/2
    X, k = np.diag([0.5, 1.0]), 0
    while abs(1 - X[0, 0]) >= 1e-6:
        X = 1.5 * X - 0.5 * X @ X.T @ X
        k += 1
    assert stated.value() == k


def test_quintic_experiment():
    smin, smax, rms, low, high = answers("ex-orthogonalised-optimisers-quintic-experiment")
    M = np.random.default_rng(0).standard_normal((64, 32))
    s = np.linalg.svd(M / np.linalg.norm(M), compute_uv=False)
    for _ in range(5):                             # the scalar map on each singular value
        s = 3.4445 * s - 4.7750 * s**3 + 2.0315 * s**5
    assert smin.value() == pytest.approx(s.min(), abs=6e-4)
    assert smax.value() == pytest.approx(s.max(), abs=6e-4)
    assert rms.value() == pytest.approx(0.2 * np.sqrt(np.mean(s**2)), abs=6e-5)
    # the bound for every draw: the image of [0.002, 1] under five steps, on a fine grid, times 0.2
    grid = np.linspace(0.002, 1.0, 1_000_001)
    for _ in range(5):
        grid = 3.4445 * grid - 4.7750 * grid**3 + 2.0315 * grid**5
    assert low.value() == pytest.approx(0.2 * grid.min(), abs=2e-5)
    assert high.value() == pytest.approx(0.2 * grid.max(), abs=2e-5)
    # and a few other draws stay inside it
    for seed in range(1, 6):
        M = np.random.default_rng(seed).standard_normal((64, 32))
        s = np.linalg.svd(M / np.linalg.norm(M), compute_uv=False)
        assert s.min() >= 0.002
        for _ in range(5):
            s = 3.4445 * s - 4.7750 * s**3 + 2.0315 * s**5
        assert low.value() <= 0.2 * np.sqrt(np.mean(s**2)) <= high.value()
