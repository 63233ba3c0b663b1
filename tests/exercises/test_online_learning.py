"""Checks of the answers to the exercises of the online-learning page."""

import numpy as np
import pytest

from exercises.answers import answers


def test_fixed_step():
    eta_stated, bound_stated = answers("ex-online-learning-fixed-step")
    for D, G, T in [(1.0, 1.0, 100), (2.5, 0.3, 1000), (0.7, 4.0, 37)]:
        eta = np.geomspace(1e-6, 1e3, 400_001)
        bound = D**2 / (2 * eta) + eta * T * G**2 / 2
        k = np.argmin(bound)
        assert eta_stated.value(D=D, G=G, T=T) == pytest.approx(eta[k], rel=1e-4)
        assert bound_stated.value(D=D, G=G, T=T) == pytest.approx(bound[k], rel=1e-8)


def test_drift():
    limit, lag10 = answers("ex-online-learning-drift")

    def lag(beta, t):
        m = 0.0
        for i in range(1, t + 1):
            m = beta * m + (1 - beta) * i
        return t - m / (1 - beta**t)

    for beta in (0.5, 0.9, 0.99):
        assert limit.value(beta=beta) == pytest.approx(lag(beta, 20_000), rel=1e-9)
    assert lag10.value() == pytest.approx(lag(0.9, 10), rel=1e-12)


def test_ema_variance():
    stated = answers("ex-online-learning-ema-variance")[0]
    beta, t = 0.9, 10
    weights = (1 - beta) * beta ** (t - np.arange(1, t + 1)) / (1 - beta**t)
    assert stated.value() == pytest.approx(np.sum(weights**2), rel=1e-12)
