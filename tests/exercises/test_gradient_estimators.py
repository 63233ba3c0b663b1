"""Checks of the stated answers of the exercises in topics/gradient-estimators.md."""
import math

import numpy as np
import pytest

from exercises.answers import answers

NODES, WEIGHTS = np.polynomial.hermite_e.hermegauss(60)
WEIGHTS = WEIGHTS / math.sqrt(2 * math.pi)


def test_linear_integrand():
    plain, best = answers("ex-gradient-estimators-linear-f")
    for mu, sigma in [(0.0, 1.0), (1.5, 0.4), (-2.0, 3.0)]:
        z = mu + sigma * NODES
        g = z * (z - mu) / sigma**2
        var = np.sum(WEIGHTS * g**2) - np.sum(WEIGHTS * g) ** 2
        assert plain.value(mu=mu, sigma=sigma) == pytest.approx(var, rel=1e-9)
        baselines = np.linspace(mu - 3, mu + 3, 601)
        variances = [np.sum(WEIGHTS * ((z - b) * (z - mu) / sigma**2) ** 2) - 1.0 for b in baselines]
        assert best.value() == pytest.approx(min(variances), rel=1e-6)


def test_moving_support():
    true_grad, score_mean = answers("ex-gradient-estimators-moving-support")
    theta, h = 1.7, 1e-5
    mean = lambda t: np.trapezoid(np.linspace(0, t, 100001) / t, np.linspace(0, t, 100001))
    assert true_grad.value() == pytest.approx((mean(theta + h) - mean(theta - h)) / (2 * h), rel=1e-5)
    z = np.linspace(0, theta, 100001)
    assert score_mean.value() == pytest.approx(np.trapezoid(z * (-1 / theta) / theta, z), rel=1e-8)


def test_bernoulli_baseline():
    plain, with_baseline = answers("ex-gradient-estimators-bernoulli-baseline")
    p = 0.3
    outcomes = [(1.0, p), (0.0, 1 - p)]
    f = lambda z: (z - 0.45) ** 2
    score = lambda z: z / p - (1 - z) / (1 - p)
    mean_f = sum(w * f(z) for z, w in outcomes)
    for b, stated in [(0.0, plain), (mean_f, with_baseline)]:
        g = [((f(z) - b) * score(z), w) for z, w in outcomes]
        m = sum(w * v for v, w in g)
        assert m == pytest.approx(0.1, rel=1e-12)
        assert stated.value() == pytest.approx(sum(w * (v - m) ** 2 for v, w in g), rel=1e-10)
