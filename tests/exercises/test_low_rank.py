"""Checks of the stated answers of the exercises on low-rank matrices."""

import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def test_projection_distance():
    stated = answer("ex-low-rank-projection-distance")
    rng = np.random.default_rng(0)
    for n, p, q in [(6, 2, 3), (10, 4, 4), (5, 1, 5)]:
        U, _ = np.linalg.qr(rng.standard_normal((n, p)))
        V, _ = np.linalg.qr(rng.standard_normal((n, q)))
        S = np.linalg.norm(U.T @ V) ** 2
        assert stated.value(p=p, q=q, S=S) == pytest.approx(np.linalg.norm(U @ U.T - V @ V.T) ** 2)


def test_ties():
    stated = answers("ex-low-rank-ties")
    M = np.diag([3.0, 1.0, 1.0])
    errors = []
    for phi in np.linspace(0, np.pi, 7):
        u = np.array([0.0, np.cos(phi), np.sin(phi)])
        X = 3 * np.outer([1, 0, 0], [1, 0, 0]) + np.outer(u, u)
        assert np.linalg.matrix_rank(X) == 2
        errors.append(np.linalg.norm(M - X))
    sv = np.linalg.svd(M, compute_uv=False)
    assert stated[0].value() == pytest.approx(math.sqrt((sv[2:] ** 2).sum()))
    assert np.allclose(errors, stated[0].value())
    X2, X3 = np.diag([3.0, 1.0, 0.0]), np.diag([3.0, 0.0, 1.0])
    assert stated[1].value() == pytest.approx(np.linalg.norm(X2 - X3))


def test_half_energy():
    stated = answer("ex-low-rank-half-energy")
    # integrate the quarter-circle density directly, without the substitution of the solution
    s = np.linspace(0.0, 2.0, 2_000_001)
    rho = np.sqrt(np.clip(4 - s**2, 0, None)) / np.pi
    ds = s[1] - s[0]
    mass_above = np.cumsum((rho * ds)[::-1])[::-1]
    cut = np.searchsorted(-mass_above, -0.5)
    energy = (s[cut:] ** 2 * rho[cut:]).sum() * ds / ((s**2 * rho).sum() * ds)
    assert stated.value() == pytest.approx(energy, abs=2e-4)
