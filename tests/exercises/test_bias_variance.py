"""Checks of the stated answers of the exercises of topics/bias-variance."""

import math

import numpy as np
import pytest
from exercises.answers import answers


def test_shrinkage():
    stated = answers("ex-bias-variance-shrinkage")
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    weights = weights / math.sqrt(2 * math.pi)
    for mu, s, n in [(1.0, 2.0, 5), (0.3, 1.0, 10), (-2.0, 3.0, 1)]:
        ybar = mu + s / math.sqrt(n) * nodes                 # Gaussian sample mean, by quadrature
        def risk(c):
            return ((c[:, None] * ybar[None, :] - mu) ** 2) @ weights
        coarse = np.linspace(-1.0, 2.0, 3001)
        best = int(np.argmin(risk(coarse)))
        fine = np.linspace(coarse[max(best - 1, 0)], coarse[min(best + 1, len(coarse) - 1)], 20001)
        fine_risk = risk(fine)
        assert stated[0].value(mu=mu, s=s, n=n) == pytest.approx(fine[int(np.argmin(fine_risk))], abs=1e-5)
        assert stated[1].value(mu=mu, s=s, n=n) == pytest.approx(fine_risk.min(), rel=1e-6)


def test_ensemble_size():
    stated = answers("ex-bias-variance-ensemble-size")
    rho, v = 0.3, 1.0
    def variance(B):
        cov = np.full((B, B), rho * v) + (1 - rho) * v * np.eye(B)
        return float(np.ones(B) @ cov @ np.ones(B)) / B**2
    assert stated[0].value() == pytest.approx(variance(100), rel=1e-12)
    B = 1
    while variance(B) > 1.01 * rho * v:
        B += 1
    assert stated[1].value() == B


def test_projection_variance():
    stated = answers("ex-bias-variance-projection-variance")
    n, p = 50, 10
    x = np.linspace(0.0, 1.0, n)
    G = np.cos(np.pi * np.arange(p)[None, :] * x[:, None])
    S = G @ np.linalg.solve(G.T @ G, G.T)                    # hat matrix of least squares
    assert stated[0].value() == pytest.approx(np.trace(S @ S.T) / n, rel=1e-9)
