"""Checks of the stated answers of the exercises of the power-laws page."""

import math

import numpy as np
import pytest

from exercises.answers import answers
from exercises.roots import bisect


def local_exponent(x, E, A, alpha, h=1e-5):
    y = lambda t: math.log(E + A * math.exp(-alpha * t))
    t = math.log(x)
    return -(y(t + h) - y(t - h)) / (2 * h)


def test_half_exponent():
    closed, number = answers("ex-power-laws-half-exponent")
    for E, A, alpha in [(1.69, 406.4, 0.34), (0.3, 5.0, 0.7)]:
        t = bisect(lambda t: local_exponent(math.exp(t), E, A, alpha) - alpha / 2, -50.0, 100.0)
        assert closed.value(E=E, A=A, alpha=alpha) == pytest.approx(math.exp(t), rel=1e-4)
    t = bisect(lambda t: local_exponent(math.exp(t), 1.69, 406.4, 0.34) - 0.17, -50.0, 100.0)
    assert number.value() == pytest.approx(math.exp(t), rel=1e-4)


def test_huber_threshold():
    stated = answers("ex-power-laws-huber-k")[0]
    def h(k):                                      # 2 phi(k)/k - 2 P(Z > k), tail by Simpson's rule
        z = np.linspace(k, k + 12.0, 4001)
        f = np.exp(-z ** 2 / 2) / np.sqrt(2 * np.pi)
        tail = (z[1] - z[0]) / 3 * (f[0] + f[-1] + 4 * f[1:-1:2].sum() + 2 * f[2:-1:2].sum())
        return 2 * np.exp(-k * k / 2) / np.sqrt(2 * np.pi) / k - 2 * tail

    k = bisect(lambda k: h(k) - 0.05 / 0.95, 0.5, 3.0, 40)
    assert stated.value() == pytest.approx(k, abs=2e-4)


def test_bfgs_without_curvature():
    stated = answers("ex-power-laws-bfgs-curvature")[0]
    H, s, y = np.eye(2), np.array([1.0, 0.0]), np.array([-1.0, 0.0])
    rho = 1 / (y @ s)
    I = np.eye(2)
    H_new = (I - rho * np.outer(s, y)) @ H @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
    assert H_new @ y == pytest.approx(s)
    assert stated.value() == pytest.approx(np.linalg.eigvalsh(H_new).min())


def test_drift_by_secant_weights():
    stated = [a.value() for a in answers("ex-power-laws-drift")]
    E, A, alpha = 1.69, 406.4, 0.34
    for (lo, hi), value in zip([(6, 8), (8, 10), (10, 12)], stated):
        u = np.log(np.logspace(lo, hi, 25))
        v = np.log(E + A * np.exp(-alpha * u))
        c = np.array([np.sum(u[j + 1:] - u.mean()) for j in range(u.size - 1)])
        w = np.diff(u) * c
        slope = np.sum(w * np.diff(v) / np.diff(u)) / np.sum(w)   # weighted average of secant slopes
        assert value == pytest.approx(-slope, abs=6e-5)
