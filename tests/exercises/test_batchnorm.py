"""Checks of the answers to the exercises of the batch normalisation chapter."""

import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def bn_train(x, gamma=1.0, beta=0.0, eps=0.0):
    mu, var = x.mean(), x.var()
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def test_fold():
    w_stated, b_stated = answers("ex-batchnorm-fold")
    rng = np.random.default_rng(3)
    for _ in range(5):
        gam, beta, w, b = rng.normal(size=4)
        mu, var, eps = rng.normal(), rng.uniform(0.1, 3), 10 ** rng.uniform(-5, -1)
        u = rng.normal(size=7)
        z = w * u + b
        y = gam * (z - mu) / math.sqrt(var + eps) + beta     # normalise, then scale and shift
        # fit y = w' u + b' by least squares
        slope, intercept = np.polyfit(u, y, 1)
        env = dict(gam=gam, beta=beta, w=w, b=b, mu=mu, var=var, eps=eps)
        assert w_stated.value(**env) == pytest.approx(slope, rel=1e-9)
        assert b_stated.value(**env) == pytest.approx(intercept, rel=1e-9, abs=1e-12)


def test_epsilon():
    deriv, y1, y2 = answers("ex-batchnorm-epsilon")
    x = np.array([-1.0, 1.0])

    def loss(a):
        return bn_train(a * x, eps=1.0)[1]

    h = 1e-6
    assert deriv.value() == pytest.approx((loss(1 + h) - loss(1 - h)) / (2 * h), rel=1e-7)
    assert y1.value() == pytest.approx(loss(1.0), rel=1e-12)
    assert y2.value() == pytest.approx(loss(2.0), rel=1e-12)
    # with epsilon = 0 the same derivative vanishes
    flat = [bn_train(a * x)[1] for a in (1 - h, 1 + h)]
    assert flat[0] == pytest.approx(flat[1], abs=1e-12)


def test_speedups():
    stated = answers("ex-batchnorm-speedups")
    steps = {"Inception": 31.0e6, "BN-Baseline": 13.3e6, "BN-x5": 2.1e6, "BN-x30": 2.7e6}
    expected = [steps["Inception"] / steps[k] for k in ("BN-Baseline", "BN-x5", "BN-x30")]
    expected.append(steps["BN-x5"] / steps["Inception"])
    assert len(stated) == 4
    for s, e in zip(stated, expected):
        assert s.value() == pytest.approx(e, rel=1e-9)


def test_batch_noise():
    stated = answer("ex-batchnorm-batch-noise")
    # first order: gradient of f(mu, q) = (x0 - mu) / sqrt(q) at (0, 1), and the limiting
    # m Cov of (mean, variance) of standard normal draws, from Gauss-Hermite moments
    nodes, weights = np.polynomial.hermite_e.hermegauss(20)
    weights = weights / weights.sum()
    moment = lambda k: float(weights @ nodes**k)
    cov = np.array([[moment(2), moment(3)], [moment(3), moment(4) - moment(2) ** 2]])
    for x0 in (0.0, 0.5, 2.0, 3.0):
        f = lambda mu, q: (x0 - mu) / np.sqrt(q)
        h = 1e-6
        grad = np.array([(f(h, 1) - f(-h, 1)) / (2 * h), (f(0, 1 + h) - f(0, 1 - h)) / (2 * h)])
        assert stated.value(x0=x0) == pytest.approx(grad @ cov @ grad, rel=1e-6)
    rng = np.random.default_rng(11)
    m, batches = 300, 6_000
    for x0 in (0.0, 2.0):
        batch = np.concatenate([np.full((batches, 1), x0), rng.standard_normal((batches, m - 1))], axis=1)
        x0_hat = (x0 - batch.mean(axis=1)) / batch.std(axis=1)
        assert stated.value(x0=x0) == pytest.approx(m * x0_hat.var(), rel=0.08)
