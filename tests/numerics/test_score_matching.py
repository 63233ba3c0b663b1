"""Numerical checks of the Machinery page on score matching (source/topics/score-matching.md)."""

import numpy as np
import pytest

# one-dimensional data density: a two-component Gaussian mixture
W, M, S = np.array([0.3, 0.7]), np.array([-2.0, 1.5]), np.array([0.5, 0.8])


def _mix_density(x, s_extra2=0.0):
    var = S**2 + s_extra2
    comp = W * np.exp(-0.5 * (x[:, None] - M) ** 2 / var) / np.sqrt(2 * np.pi * var)
    return comp, var


def _noisy_score(x, sigma):
    comp, var = _mix_density(x, sigma**2)
    return (comp * (-(x[:, None] - M) / var)).sum(1) / comp.sum(1)


def _sample(rng, n):
    k = rng.choice(2, size=n, p=W)
    return M[k] + S[k] * rng.standard_normal(n)


@pytest.mark.equations("score-matching-tweedie", "score-matching-dsm")
def test_tweedie_posterior_mean_and_dsm_minimiser():
    rng = np.random.default_rng(0)
    sigma, n = 0.6, 1_000_000
    x = _sample(rng, n)
    xt = x + sigma * rng.standard_normal(n)
    # E[x | xt] by binning against the formula xt + sigma^2 * score
    edges = np.linspace(-3, 3, 13)
    idx = np.digitize(xt, edges)
    for b in range(1, len(edges)):
        sel = idx == b
        centre = xt[sel]
        pred = np.mean(centre + sigma**2 * _noisy_score(centre, sigma))
        assert abs(x[sel].mean() - pred) < 0.02
    # the DSM loss is smaller at the true noisy score than at a perturbed one
    target = -(xt - x) / sigma**2
    true_s = _noisy_score(xt, sigma)
    loss = lambda s: 0.5 * np.mean((s - target) ** 2)
    assert loss(true_s) < loss(1.1 * true_s) and loss(true_s) < loss(true_s + 0.1)


@pytest.mark.equations("score-matching-thm-dsm", "score-matching-esm", "score-matching-dsm-crossterm")
def test_dsm_and_esm_differ_by_a_constant():
    rng = np.random.default_rng(1)
    sigma, n = 0.6, 1_000_000
    x = _sample(rng, n)
    xt = x + sigma * rng.standard_normal(n)
    target = -(xt - x) / sigma**2
    true_s = _noisy_score(xt, sigma)
    diffs = []
    for a, c in [(-1.0, 0.0), (-2.0, 0.5), (0.3, -1.0), (-0.5, 2.0)]:
        s = a * xt + c                                  # a linear score model
        esm = 0.5 * np.mean((s - true_s) ** 2)
        dsm = 0.5 * np.mean((s - target) ** 2)
        diffs.append(esm - dsm)
    assert np.ptp(diffs) < 0.02 * abs(np.mean(diffs))


@pytest.mark.equations("score-matching-langevin")
def test_unadjusted_langevin_is_biased_at_fixed_step():
    # target N(0, s2): x' = (1 - eps/(2 s2)) x + sqrt(eps) z has stationary variance
    # eps / (1 - (1 - eps/(2 s2))^2) = s2 / (1 - eps/(4 s2)), not s2
    rng = np.random.default_rng(2)
    s2, chains, steps = 1.0, 200_000, 300
    for eps in (0.4, 0.2):
        x = rng.standard_normal(chains) * 3.0
        for _ in range(steps):
            x = x + 0.5 * eps * (-x / s2) + np.sqrt(eps) * rng.standard_normal(chains)
        stat = s2 / (1 - eps / (4 * s2))
        assert np.isclose(x.var(), stat, rtol=0.015)
        assert x.var() - s2 > 0.5 * (stat - s2)      # the bias is visible
