"""Checks of the stated answers of the exercises in topics/attention."""

import numpy as np
import pytest

from exercises.answers import answers


def test_nonzero_means():
    variance, difference = answers("ex-attention-nonzero-mean")
    rng = np.random.default_rng(31)
    for d_k, a, b in [(8, 0.5, -1.0), (32, 1.0, 0.3)]:
        q = a + rng.standard_normal((60_000, d_k))
        k = b + rng.standard_normal((60_000, d_k))
        k2 = b + rng.standard_normal((60_000, d_k))
        s, s2 = (q * k).sum(axis=1), (q * k2).sum(axis=1)
        assert variance.value(d_k=d_k, a=a, b=b) == pytest.approx(np.var(s), rel=0.025)
        assert difference.value(d_k=d_k, a=a, b=b) == pytest.approx(np.var((s - s2) / np.sqrt(d_k)), rel=0.025)


def test_memory_of_the_weights():
    total, ratio = answers("ex-attention-memory")
    n, h, d_k = 8192, 16, 64
    weights = h * n * n
    assert total.value() == 2 * weights
    assert ratio.value() == pytest.approx(weights / (4 * n * h * d_k))


def test_equicorrelated_coordinates():
    stated = answers("ex-attention-equicorrelated")[0]
    for d_k, rho in [(64, 0.5), (16, 0.1), (5, 0.9)]:
        sigma = (1 - rho) * np.eye(d_k) + rho * np.ones((d_k, d_k))
        assert stated.value(d_k=d_k, rho=rho) == pytest.approx(np.trace(sigma @ sigma) / d_k, rel=1e-12)
    # A direct simulation of the scaled score for one small case.
    rng = np.random.default_rng(32)
    d_k, rho = 8, 0.6
    chol = np.linalg.cholesky((1 - rho) * np.eye(d_k) + rho * np.ones((d_k, d_k)))
    q = rng.standard_normal((100_000, d_k)) @ chol.T
    k = rng.standard_normal((100_000, d_k)) @ chol.T
    s = (q * k).sum(axis=1) / np.sqrt(d_k)
    assert stated.value(d_k=d_k, rho=rho) == pytest.approx(s.var(), rel=0.03)
