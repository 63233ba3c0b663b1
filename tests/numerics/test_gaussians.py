"""Numerical checks of the topic page source/topics/gaussians.md.

The linear-Gaussian model: precision and gain forms of the posterior agree with each other and with
a brute-force Bayes computation on a grid; the marginal matches a simulation; and the specialisation
to one diffusion step reproduces the forward-process posterior coefficients.
"""

import numpy as np
import pytest


def linear_gaussian(m, S, W, b, R, y):
    Si, Ri = np.linalg.inv(S), np.linalg.inv(R)
    S_post = np.linalg.inv(Si + W.T @ Ri @ W)
    m_post = S_post @ (Si @ m + W.T @ Ri @ (y - b))
    G = S @ W.T @ np.linalg.inv(W @ S @ W.T + R)
    m_gain = m + G @ (y - W @ m - b)
    S_gain = S - G @ W @ S
    return m_post, S_post, m_gain, S_gain


@pytest.mark.equations("gaussians-linear-posterior", "gaussians-linear-gain", "gaussians-linear-marginal", "gaussians-linear-joint")
def test_precision_and_gain_forms_agree_and_marginal_matches_simulation():
    rng = np.random.default_rng(0)
    k, p = 3, 5  # W is 5 x 3, so W^T W is invertible but W W^T is singular: no rank condition needed
    A = rng.standard_normal((k, k))
    Bm = rng.standard_normal((p, p))
    m, S = rng.standard_normal(k), A @ A.T + 0.3 * np.eye(k)
    W, b, R = rng.standard_normal((p, k)), rng.standard_normal(p), Bm @ Bm.T + 0.2 * np.eye(p)
    y = rng.standard_normal(p)
    m_post, S_post, m_gain, S_gain = linear_gaussian(m, S, W, b, R, y)
    assert np.allclose(m_post, m_gain) and np.allclose(S_post, S_gain)
    # a wide, low-rank W (p < k) as well
    W2 = rng.standard_normal((1, k))
    out = linear_gaussian(m, S, W2, b[:1], R[:1, :1], y[:1])
    assert np.allclose(out[0], out[2]) and np.allclose(out[1], out[3])
    # marginal of y by simulation
    n = 400_000
    x = m + rng.standard_normal((n, k)) @ np.linalg.cholesky(S).T
    ys = x @ W.T + b + rng.standard_normal((n, p)) @ np.linalg.cholesky(R).T
    assert np.allclose(ys.mean(axis=0), W @ m + b, atol=0.03)
    assert np.allclose(np.cov(ys.T), W @ S @ W.T + R, rtol=0.02, atol=0.05)
    assert np.allclose(np.cov(x.T, ys.T)[:k, k:], S @ W.T, rtol=0.02, atol=0.05)


@pytest.mark.equations("gaussians-linear-posterior", "gaussians-linear-square")
def test_posterior_matches_bayes_rule_on_a_grid():
    m, s2, w, b, r2, y = 0.4, 1.7, -1.3, 0.2, 0.6, 1.1
    grid = np.linspace(-12, 12, 200_001)
    logpost = -0.5 * (grid - m) ** 2 / s2 - 0.5 * (y - b - w * grid) ** 2 / r2
    post = np.exp(logpost - logpost.max())
    post /= post.sum()
    mean = (grid * post).sum()
    var = ((grid - mean) ** 2 * post).sum()
    m_post, S_post, _, _ = linear_gaussian(np.array([m]), np.array([[s2]]), np.array([[w]]),
                                           np.array([b]), np.array([[r2]]), np.array([y]))
    assert np.isclose(mean, m_post[0], atol=1e-8) and np.isclose(var, S_post[0, 0], rtol=1e-6)
    # forgetting the offset b gives a visibly different mean
    assert abs(mean - (1 / s2 + w * w / r2) ** -1 * (m / s2 + w * y / r2)) > 0.1


@pytest.mark.equations("gaussians-linear-ddpm", "ddpm-posterior")
def test_diffusion_step_posterior_coefficients():
    betas = np.linspace(1e-4, 0.02, 1000)
    alphas = 1 - betas
    abar = np.cumprod(alphas)
    rng = np.random.default_rng(1)
    for t in (1, 10, 500, 999):  # 0-based index t is the step t+1; need t >= 1 for abar_{t-1}
        a, ab, ab_prev, bt = alphas[t], abar[t], abar[t - 1], betas[t]
        x0, xt = rng.standard_normal(2), rng.standard_normal(2)
        m_post, S_post, m_gain, S_gain = linear_gaussian(
            np.sqrt(ab_prev) * x0, (1 - ab_prev) * np.eye(2), np.sqrt(a) * np.eye(2),
            np.zeros(2), bt * np.eye(2), xt)
        beta_tilde = (1 - ab_prev) / (1 - ab) * bt
        mu_tilde = np.sqrt(ab_prev) * bt / (1 - ab) * x0 + np.sqrt(a) * (1 - ab_prev) / (1 - ab) * xt
        assert np.allclose(S_post, beta_tilde * np.eye(2)) and np.allclose(S_gain, S_post)
        assert np.allclose(m_post, mu_tilde) and np.allclose(m_gain, mu_tilde)
        # the marginal variance alpha_t (1 - abar_{t-1}) + beta_t is 1 - abar_t
        assert np.isclose(a * (1 - ab_prev) + bt, 1 - ab)


@pytest.mark.equations("gaussians-linear-gain", "gaussians-linear-posterior", "ddpm-posterior")
def test_gain_form_at_a_singular_prior_is_the_limit_of_the_posterior():
    # first diffusion step: abar_0 = 1, so S = 0 and the precision form is unavailable
    beta1 = 1e-4
    x0, x1 = np.array([0.3, -1.2]), np.array([0.5, 0.1])
    W, R = np.sqrt(1 - beta1) * np.eye(2), beta1 * np.eye(2)
    S0 = np.zeros((2, 2))
    G = S0 @ W.T @ np.linalg.inv(W @ S0 @ W.T + R)
    m_gain, S_gain = x0 + G @ (x1 - W @ x0), S0 - G @ W @ S0
    assert np.allclose(m_gain, x0) and np.allclose(S_gain, 0)
    # it is the limit of the S > 0 posteriors (precision form) as S -> 0
    for eps in (1e-6, 1e-9):
        m_post, S_post, _, _ = linear_gaussian(x0, eps * np.eye(2), W, np.zeros(2), R, x1)
        assert np.allclose(m_post, m_gain, atol=4 * eps / beta1) and np.all(np.abs(S_post) <= 1.01 * eps)
    # DDPM's coefficients at t = 1 give the same point mass: mu_tilde_1 = x0, beta_tilde_1 = 0
    ab_prev, ab = 1.0, 1 - beta1
    mu_tilde = np.sqrt(ab_prev) * beta1 / (1 - ab) * x0 + np.sqrt(1 - beta1) * (1 - ab_prev) / (1 - ab) * x1
    assert np.allclose(mu_tilde, x0) and (1 - ab_prev) / (1 - ab) * beta1 == 0
