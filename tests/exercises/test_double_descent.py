"""Checks of the stated answers of the exercises of papers/double-descent."""

import math

import numpy as np
import pytest
from exercises.answers import answer, answers


def test_rff_variance():
    stated = answer("ex-double-descent-rff-variance")
    nodes, weights = np.polynomial.hermite_e.hermegauss(200)
    weights = weights / math.sqrt(2 * math.pi)
    for r, sigma, N in [(0.5, 1.0, 10), (2.0, 1.5, 1000), (3.0, 0.7, 1)]:
        t = nodes * r / sigma                           # <v, x - x'> ~ N(0, r^2 / sigma^2)
        mean = np.sum(weights * np.cos(t))
        second = np.sum(weights * np.cos(t) ** 2)
        computed = (second - mean**2) / N
        assert stated.value(r=r, sigma=sigma, N=N) == pytest.approx(computed, rel=1e-8)


def test_rff_variance_by_simulation():
    stated = answer("ex-double-descent-rff-variance")
    rng = np.random.default_rng(3)
    d, r, sigma, N = 3, 1.2, 1.0, 5
    u = np.array([r, 0.0, 0.0])
    v = rng.standard_normal((60000, N, d)) / sigma
    k = np.cos(v @ u).mean(axis=1)
    assert stated.value(r=r, sigma=sigma, N=N) == pytest.approx(k.var(), rel=0.03)


def test_nested_versus_redrawn():
    stated = answers("ex-double-descent-nested")
    y = np.array([1.0])
    x = np.array([1.0, 0.0])
    def features(vs):
        return np.array([[max(v @ x, 0.0) for v in vs]])
    v1 = np.array([1.0, 0.0])
    v_small = np.array([0.1, math.sqrt(1 - 0.01)])
    nested = np.linalg.pinv(features([v1, v_small])) @ y
    redrawn = np.linalg.pinv(features([v_small, np.array([0.1, -math.sqrt(0.99)])])) @ y
    assert stated[0].value() == pytest.approx(nested @ nested, rel=1e-9)
    assert stated[1].value() == pytest.approx(redrawn @ redrawn, rel=1e-9)


def test_counts():
    stated = answers("ex-double-descent-counts")
    n_imagenet, classes_imagenet = 10**6, 10**3
    assert stated[0].value() == pytest.approx(n_imagenet * classes_imagenet, rel=1e-12)
    n, classes, N = 10**4, 10, 10**4
    real_parameters = classes * N * 2
    real_equations = classes * n * 2
    assert real_parameters == real_equations
    assert stated[1].value() == pytest.approx(real_parameters, rel=1e-12)
    assert stated[2].value() == pytest.approx(n * N * np.dtype(np.complex128).itemsize, rel=1e-12)


def test_gaussian_model_risk():
    """Monte Carlo over the design X only: given X the expectation over the noise is exact.

    For p < n, X^+ X = I and E_eps |X^+ eps|^2 = tau^2 tr((X'X)^-1); for p > n the bias is
    |(I - P) beta|^2 with P the projection onto the row space of X, and the variance
    tau^2 tr((XX')^-1). The estimate is compared with the stated value within four standard errors.
    """
    stated = answers("ex-double-descent-gaussian-model")
    rng = np.random.default_rng(11)
    n, tau, reps = 20, 0.5, 1000
    for answer_index, p in ((0, 10), (1, 40)):
        X = rng.standard_normal((reps, n, p))
        beta = rng.standard_normal((reps, p))
        beta /= np.linalg.norm(beta, axis=1, keepdims=True)   # a random direction, norm one
        if p < n:
            gram_inverse = np.linalg.inv(np.swapaxes(X, 1, 2) @ X)
            bias = np.zeros(reps)
        else:
            gram_inverse = np.linalg.inv(X @ np.swapaxes(X, 1, 2))
            Xb = np.einsum("rnp,rp->rn", X, beta)
            bias = 1.0 - np.einsum("rn,rnm,rm->r", Xb, gram_inverse, Xb)   # |beta|^2 - |P beta|^2
        risk = bias + tau**2 * np.trace(gram_inverse, axis1=1, axis2=2)
        error = risk.std() / math.sqrt(reps)
        assert abs(stated[answer_index].value() - risk.mean()) < 4 * error
