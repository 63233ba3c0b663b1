"""Checks of the stated answers of the exercises of topics/kernels."""

import math

import numpy as np
import pytest
from exercises.answers import answer, answers


def test_two_point_interpolant():
    stated = answers("ex-kernels-two-point-interpolant")
    rng = np.random.default_rng(2)
    # a kernel with k(x, x) = 1 and an explicit finite feature map: cos/sin random features
    V = rng.standard_normal((50, 3))
    def z(x):
        return np.concatenate([np.cos(V @ x), np.sin(V @ x)]) / math.sqrt(len(V))
    for x1, x2 in [(np.zeros(3), np.array([0.3, 0.1, 0.0])), (np.zeros(3), np.array([1.0, -0.5, 0.2]))]:
        Z = np.stack([z(x1), z(x2)])
        rho = z(x1) @ z(x2)
        for label, y in ((0, np.array([1.0, 1.0])), (1, np.array([1.0, -1.0]))):
            w = np.linalg.pinv(Z) @ y                     # minimum-norm interpolating weights
            assert np.allclose(Z @ w, y)
            assert stated[label].value(rho=rho) == pytest.approx(w @ w, rel=1e-8)


def test_poly_dimension():
    stated = answers("ex-kernels-poly-dimension")
    d = 784
    # number of monomials of degree at most q: coefficients of (1 + t + t^2 + ...)^d up to t^q
    for idx, q in enumerate((2, 3)):
        counts = np.zeros(q + 1, dtype=object)
        counts[0] = 1
        for _ in range(d):
            counts = np.array([sum(counts[: j + 1]) for j in range(q + 1)], dtype=object)
        assert stated[idx].value() == int(sum(counts))


def test_rff_limit():
    stated = answer("ex-kernels-rff-estimate")
    nodes, weights = np.polynomial.hermite_e.hermegauss(100)
    weights = weights / math.sqrt(2 * math.pi)
    # E cos(<v, u>) with <v, u> ~ N(0, |u|^2 / sigma^2) = N(0, 1)
    assert stated.value() == pytest.approx(float(np.sum(weights * np.cos(nodes))), rel=1e-10)
