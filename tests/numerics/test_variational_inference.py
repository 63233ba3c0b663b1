"""Numerical checks of the variational-inference topic page."""
import numpy as np
import pytest


def elbo(m, v, x, s2):
    return (-0.5 * np.log(2 * np.pi * s2) - ((x - m) ** 2 + v) / (2 * s2)
            - 0.5 * (m ** 2 + v - 1 - np.log(v)))


def log_evidence(x, s2):
    return -0.5 * np.log(2 * np.pi * (1 + s2)) - x ** 2 / (2 * (1 + s2))


def kl_gauss(m1, v1, m2, v2):
    return 0.5 * (np.log(v2 / v1) + (v1 + (m1 - m2) ** 2) / v2 - 1)


@pytest.mark.equations("variational-inference-gaussian-example", "variational-inference-gap", "variational-inference-split")
def test_conjugate_example_gap_is_kl_to_posterior():
    x, s2 = 1.3, 0.5
    mpost, vpost = x / (1 + s2), s2 / (1 + s2)
    assert np.isclose(elbo(mpost, vpost, x, s2), log_evidence(x, s2))
    rng = np.random.default_rng(0)
    for _ in range(20):
        m, v = rng.normal(), rng.uniform(0.05, 3)
        gap = log_evidence(x, s2) - elbo(m, v, x, s2)
        assert gap > 0 and np.isclose(gap, kl_gauss(m, v, mpost, vpost))


@pytest.mark.equations("variational-inference-elbo", "variational-inference-jensen")
def test_monte_carlo_elbo_and_importance_weighted_bounds():
    x, s2, m, v = 0.8, 0.7, 0.1, 0.4
    rng = np.random.default_rng(1)
    z = m + np.sqrt(v) * rng.normal(size=(200000, 8))
    logp = (-0.5 * np.log(2 * np.pi) - z ** 2 / 2) + (-0.5 * np.log(2 * np.pi * s2) - (x - z) ** 2 / (2 * s2))
    logq = -0.5 * np.log(2 * np.pi * v) - (z - m) ** 2 / (2 * v)
    logw = logp - logq
    assert abs(logw[:, 0].mean() - elbo(m, v, x, s2)) < 5e-3
    bounds = [np.mean(np.log(np.mean(np.exp(logw[:, :k]), axis=1))) for k in (1, 2, 4, 8)]
    assert all(a < b for a, b in zip(bounds, bounds[1:])) and bounds[-1] < log_evidence(x, s2)
