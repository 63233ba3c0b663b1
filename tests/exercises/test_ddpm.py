"""Checks of the stated answers of the exercises in papers/ddpm.md."""
import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def _schedule(T=1000, beta_1=1e-4, beta_T=0.02):
    beta = np.linspace(beta_1, beta_T, T)
    return beta, np.cumprod(1 - beta)


def test_weight_with_posterior_variance():
    closed_form, lambda_2 = answers("ex-ddpm-weight-posterior-variance")
    rng = np.random.default_rng(0)
    for _ in range(5):
        beta = rng.uniform(0.01, 0.5, size=6)
        abar = np.cumprod(1 - beta)
        t = 4  # index of beta_t; abar[t - 1] is abar_{t-1}
        beta_tilde = (1 - abar[t - 1]) / (1 - abar[t]) * beta[t]
        general = beta[t] ** 2 / (2 * beta_tilde * (1 - beta[t]) * (1 - abar[t]))
        assert closed_form.value(beta=beta[t], abar_prev=abar[t - 1]) == pytest.approx(general, rel=1e-12)
        snr = abar / (1 - abar)
        assert general == pytest.approx(0.5 * (snr[t - 1] / snr[t] - 1), rel=1e-10)
    beta, abar = _schedule()
    tilde = (1 - abar[0]) / (1 - abar[1]) * beta[1]
    assert lambda_2.value() == pytest.approx(beta[1] ** 2 / (2 * tilde * (1 - beta[1]) * (1 - abar[1])), abs=1e-4)


def test_variance_for_data_of_variance_four():
    stated = answer("ex-ddpm-variance-non-unit-data")
    # joint covariance of (x0, x1, x2) from x1 = a1 x0 + b1 e1, x2 = a2 x1 + b2 e2, by matrices
    v, beta = 4.0, np.array([0.5, 0.5])
    # (x0, x1, x2) = M (x0, e1, e2)
    a, b = np.sqrt(1 - beta), np.sqrt(beta)
    M = np.array([[1, 0, 0], [a[0], b[0], 0], [a[1] * a[0], a[1] * b[0], b[1]]])
    cov = M @ np.diag([v, 1, 1]) @ M.T
    # conditional variance of x1 given x2 (Schur complement), which is the best constant for Gaussian data
    cond = cov[1, 1] - cov[1, 2] ** 2 / cov[2, 2]
    assert stated.value() == pytest.approx(cond, rel=1e-12)
    assert stated.value() > beta[1]


def test_schedule_numbers():
    abar_T, lt_bits, share = answers("ex-ddpm-schedule-numbers")
    beta, abar = _schedule()
    assert abar_T.value() == pytest.approx(abar[-1], rel=2e-3)
    x = np.linspace(-1, 1, 2001)
    mean, var = np.sqrt(abar[-1]) * x, 1 - abar[-1]
    kl = 0.5 * (var + mean**2 - 1 - np.log(var))
    assert lt_bits.value() == pytest.approx(kl.max() / math.log(2), rel=2e-3)
    assert share.value() == pytest.approx(1.97 / (1.78 + 1.97), abs=5e-4)
    assert 1.78 + 1.97 == pytest.approx(3.75)


def test_optimal_noise_predictor_is_the_scaled_score():
    stated = answer("ex-ddpm-optimal-noise")
    abar = 0.5
    c, var = math.sqrt(abar), 1 - abar
    log_q = lambda x: math.log(math.exp(-(x - c) ** 2 / (2 * var)) + math.exp(-(x + c) ** 2 / (2 * var)))
    h = 1e-5
    score = (log_q(1 + h) - log_q(1 - h)) / (2 * h)
    assert stated.value() == pytest.approx(-math.sqrt(1 - abar) * score, rel=1e-7)
