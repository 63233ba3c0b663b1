"""Checks of the stated answers of the exercises of papers/uniform-convergence."""

import math

import numpy as np
import pytest
from exercises.answers import answer, answers


def ramp(margin, gamma):
    return np.where(margin <= 0, 1.0, np.clip(1 - margin / gamma, 0.0, 1.0))


def test_max_margin_classifier():
    stated = answers("ex-uniform-convergence-max-margin")
    rng = np.random.default_rng(5)
    for m in (3, 8, 20, 50):
        K = 4
        u = np.zeros(K)
        u[0] = 1.0
        y = rng.choice([-1.0, 1.0], size=m)
        g = math.sqrt(32) * np.eye(m)                       # exactly orthogonal noise blocks, |g|^2 = 32
        X = np.hstack([2 * y[:, None] * u[None, :], g])     # rows x = (x_1, x_2)
        A = y[:, None] * X                                  # margin constraints A w >= 1
        lam = np.linalg.solve(A @ A.T, np.ones(m))          # all constraints active
        assert np.all(lam > 0)                              # KKT multipliers positive: optimal
        w = A.T @ lam
        a = w[:K] @ u
        b = y[0] * (w[K:] @ g[0])                           # noise contribution to the first margin
        assert stated[0].value(m=m) == pytest.approx(a, rel=1e-9)
        assert stated[1].value(m=m) == pytest.approx(b, rel=1e-9)
        flipped = y[0] * (w[:K] @ X[0, :K] - w[K:] @ g[0])
        assert stated[2].value(m=m) == pytest.approx(flipped, rel=1e-9, abs=1e-12)


def test_large_gamma_limit():
    stated = answers("ex-uniform-convergence-large-gamma")
    rng = np.random.default_rng(6)
    m, D = 5, 400000
    y = rng.choice([-1.0, 1.0], size=m)
    g = rng.standard_normal((m, D)) * math.sqrt(32 / D)
    w2 = y @ g
    sd = math.sqrt(32 / D * (w2 @ w2))
    nodes, weights = np.polynomial.hermite_e.hermegauss(120)
    weights = weights / math.sqrt(2 * math.pi)
    for gamma in (5.0, 8.0, 9.0):
        train = 4 + y * (g @ w2)
        assert np.all(ramp(train, gamma) == 0)              # training margin loss zero
        test_loss = float(np.sum(weights * ramp(4 + sd * nodes, gamma)))
        assert stated[0].value(gamma=gamma) == pytest.approx(test_loss, abs=2e-3)
        # lemma with test-loss bound epsilon' = test_loss: lower bound 1 - epsilon' on unif-alg
        flipped = 4 - y * (g @ w2)
        assert np.all(ramp(flipped, gamma) == 1)                # the flipped set costs 1
        assert stated[1].value(gamma=gamma) == pytest.approx(1 - test_loss, abs=2e-3)


def test_dimension_and_norm_term():
    stated = answers("ex-uniform-convergence-dimension")
    m, eps, delta = 50, 0.01, 0.1
    D = 1.0
    while not (D >= 456 * m * math.log(1 / eps) and D >= 34 * m * math.log(4 * m / delta)):
        D *= 1.0001
    assert stated[0].value() == pytest.approx(D, rel=2e-4)
    # the complexity term 2 B R / (gamma sqrt(m)) with B = sqrt(4 + 32 m), R = 6, gamma = 36, m large
    m_large = 1e12
    term = 2 * math.sqrt(4 + 32 * m_large) * 6 / (36 * math.sqrt(m_large))
    assert stated[1].value() == pytest.approx(term, rel=1e-9)
    # first-layer weights of the width-10000 network on 500 inputs, per training point at m = 8192
    first_layer = np.zeros((10000, 500), dtype=np.int8).size
    assert stated[2].value() == pytest.approx(first_layer / 8192, rel=1e-9)


def test_flipped_set_error():
    stated = answer("ex-uniform-convergence-flip-experiment")
    for seed in (1, 2):
        rng = np.random.default_rng(seed)
        m, D = 50, 20000
        y = rng.choice([-1.0, 1.0], size=m)
        x1 = 2 * y[:, None] * np.array([[1.0, 0.0]])
        x2 = rng.standard_normal((m, D)) * math.sqrt(32 / D)
        w1 = (y[:, None] * x1).mean(axis=0)
        w2 = (y[:, None] * x2).sum(axis=0)
        flipped_margin = y * (x1 @ w1 - x2 @ w2)
        assert stated.value() == pytest.approx(np.mean(flipped_margin <= 0))
