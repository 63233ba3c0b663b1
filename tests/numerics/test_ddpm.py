"""Numerical checks of the denoising diffusion chapter (Ho, Jain and Abbeel, 2020)."""
import numpy as np
import pytest

T = 1000
BETA = np.linspace(1e-4, 0.02, T)          # beta_1 .. beta_T
ALPHA = 1.0 - BETA
ABAR = np.cumprod(ALPHA)                   # abar_1 .. abar_T


def abar(t):
    """alpha-bar_t with alpha-bar_0 = 1 (t is 1-based)."""
    return 1.0 if t == 0 else ABAR[t - 1]


def posterior(t, xt, x0):
    """tilde-mu_t and tilde-beta_t of paper Eqs. (6)-(7)."""
    b, a = BETA[t - 1], ALPHA[t - 1]
    mu = (np.sqrt(abar(t - 1)) * b / (1 - abar(t))) * x0 + (np.sqrt(a) * (1 - abar(t - 1)) / (1 - abar(t))) * xt
    var = (1 - abar(t - 1)) / (1 - abar(t)) * b
    return mu, var


@pytest.mark.equations("ddpm-forward", "ddpm-marginal", "ddpm-marginal-induction", "gaussians-sum")
def test_closed_form_marginal_matches_iterated_chain():
    # exact moments of x_t given x_0, by iterating one step of the chain
    x0 = 0.7
    m, v = x0, 0.0
    for t in range(1, T + 1):
        m = np.sqrt(ALPHA[t - 1]) * m
        v = ALPHA[t - 1] * v + BETA[t - 1]
        assert np.isclose(m, np.sqrt(abar(t)) * x0, rtol=1e-10, atol=1e-14)
        assert np.isclose(v, 1 - abar(t), rtol=1e-10)
    # Monte Carlo: simulate the chain for 300 steps and compare with Eq. (4)
    rng = np.random.default_rng(0)
    x = np.full(40_000, x0)
    for t in range(1, 301):
        x = np.sqrt(ALPHA[t - 1]) * x + np.sqrt(BETA[t - 1]) * rng.standard_normal(x.size)
    assert abs(x.mean() - np.sqrt(abar(300)) * x0) < 0.02
    assert abs(x.var() - (1 - abar(300))) < 0.02
    # the end of the chain is essentially the prior: L_T ~ 1e-5 bits/dim for |x0| <= 1
    a = abar(T)
    kl_nats = 0.5 * (a * 1.0**2 + (1 - a) - 1 - np.log(1 - a))
    assert kl_nats / np.log(2) < 1e-4


@pytest.mark.equations(
    "ddpm-posterior", "ddpm-posterior-derivation", "ddpm-bayes-step", "gaussians-conditioning",
)
def test_posterior_matches_gaussian_conditioning():
    rng = np.random.default_rng(1)
    for t in (2, 10, 250, 999):
        x0, xt = rng.normal(), rng.normal()
        # joint of (x_{t-1}, x_t) given x_0
        a, b = ALPHA[t - 1], BETA[t - 1]
        mean = np.array([np.sqrt(abar(t - 1)) * x0, np.sqrt(abar(t)) * x0])
        v_prev = 1 - abar(t - 1)
        cov = np.array([[v_prev, np.sqrt(a) * v_prev], [np.sqrt(a) * v_prev, a * v_prev + b]])
        cond_mu = mean[0] + cov[0, 1] / cov[1, 1] * (xt - mean[1])
        cond_var = cov[0, 0] - cov[0, 1] ** 2 / cov[1, 1]
        mu, var = posterior(t, xt, x0)
        assert np.isclose(mu, cond_mu)
        assert np.isclose(var, cond_var)
        assert var < b                     # tilde-beta_t < beta_t


@pytest.mark.equations("ddpm-eps-param", "ddpm-eps-mean-target")
def test_eps_parameterised_mean_equals_posterior_mean_for_true_noise():
    rng = np.random.default_rng(2)
    for t in (2, 50, 500, 1000):
        x0 = rng.normal(size=8)
        eps = rng.normal(size=8)
        xt = np.sqrt(abar(t)) * x0 + np.sqrt(1 - abar(t)) * eps
        mu_eps = (xt - BETA[t - 1] / np.sqrt(1 - abar(t)) * eps) / np.sqrt(ALPHA[t - 1])
        mu_tilde, _ = posterior(t, xt, x0)
        assert np.allclose(mu_eps, mu_tilde)
        # a wrong noise guess gives a different mean
        mu_bad = (xt - BETA[t - 1] / np.sqrt(1 - abar(t)) * (eps + 0.1)) / np.sqrt(ALPHA[t - 1])
        assert not np.allclose(mu_bad, mu_tilde)


@pytest.mark.equations("ddpm-eps-loss", "ddpm-mean-loss", "ddpm-decomposition", "gaussians-kl")
def test_kl_term_equals_weighted_noise_error_plus_constant():
    rng = np.random.default_rng(3)
    D = 5
    for t in (2, 100, 700):
        a, b = ALPHA[t - 1], BETA[t - 1]
        x0, eps = rng.normal(size=D), rng.normal(size=D)
        xt = np.sqrt(abar(t)) * x0 + np.sqrt(1 - abar(t)) * eps
        mu_tilde, bt = posterior(t, xt, x0)
        for sig2 in (b, bt):
            const = 0.5 * D * (bt / sig2 - 1 + np.log(sig2 / bt))
            for _ in range(5):
                eps_theta = eps + rng.normal(scale=0.5, size=D)
                mu_theta = (xt - b / np.sqrt(1 - abar(t)) * eps_theta) / np.sqrt(a)
                kl = 0.5 * (D * bt / sig2 + np.sum((mu_theta - mu_tilde) ** 2) / sig2 - D + D * np.log(sig2 / bt))
                weight = b**2 / (2 * sig2 * a * (1 - abar(t)))
                assert np.isclose(kl, weight * np.sum((eps - eps_theta) ** 2) + const)


@pytest.mark.equations("ddpm-score", "score-matching-tweedie")
def test_optimal_noise_predictor_is_rescaled_score_for_gaussian_data():
    # data x0 ~ N(m, s^2): then q(x_t) = N(sqrt(abar) m, abar s^2 + 1 - abar) and E[eps | x_t] is linear
    m, s2, t = 0.8, 0.3, 200
    ab = abar(t)
    rng = np.random.default_rng(4)
    x0 = m + np.sqrt(s2) * rng.standard_normal(400_000)
    eps = rng.standard_normal(x0.size)
    xt = np.sqrt(ab) * x0 + np.sqrt(1 - ab) * eps
    # least-squares regression of eps on (1, x_t) estimates E[eps | x_t]
    A = np.stack([np.ones_like(xt), xt], axis=1)
    coef, *_ = np.linalg.lstsq(A, eps, rcond=None)
    grid = np.linspace(-1.0, 2.0, 7)
    score = -(grid - np.sqrt(ab) * m) / (ab * s2 + 1 - ab)
    assert np.allclose(coef[0] + coef[1] * grid, -np.sqrt(1 - ab) * score, atol=0.01)


@pytest.mark.equations("ddpm-forward", "ddpm-posterior", "gaussians-conditioning")
def test_reverse_variance_is_beta_for_standard_normal_data():
    # x0 ~ N(0, 1) keeps every marginal N(0, 1); the residual variance of x_{t-1} given x_t is beta_t,
    # the upper extreme, while conditioning on a known x0 gives the lower extreme tilde-beta_t
    rng = np.random.default_rng(5)
    for t in (2, 300, 1000):
        x_prev = rng.standard_normal(200_000)
        x_t = np.sqrt(ALPHA[t - 1]) * x_prev + np.sqrt(BETA[t - 1]) * rng.standard_normal(x_prev.size)
        slope = np.mean(x_prev * x_t) / np.mean(x_t * x_t)
        resid = np.var(x_prev - slope * x_t)
        assert np.isclose(resid, BETA[t - 1], rtol=0.03)
        _, bt = posterior(t, 0.0, 0.0)
        assert bt < BETA[t - 1]


@pytest.mark.equations("ddpm-posterior", "ddpm-decomposition", "gaussians-kl")
def test_best_constant_reverse_variance_lies_between_beta_tilde_and_beta():
    # sigma*^2 = tilde-beta_t + c0^2 E[Var(x0 | x_t)] (one coordinate): beta_t for N(0, 1) data,
    # strictly inside (tilde-beta_t, beta_t) for the unit-variance two-point data x0 = +-1
    for t in (100, 200, 400, 700):  # at small t the two-point posterior is numerically a point mass
        b = BETA[t - 1]
        _, bt = posterior(t, 0.0, 0.0)
        c0 = np.sqrt(abar(t - 1)) * b / (1 - abar(t))
        ab = abar(t)
        # Gaussian data: E[Var(x0 | x_t)] = 1 - abar_t exactly
        assert np.isclose(bt + c0**2 * (1 - ab), b, rtol=1e-12)
        # two-point data: Var(x0 | x_t) = 1 - tanh^2(sqrt(abar) x_t / (1 - abar)), averaged over
        # q(x_t) = mixture of N(+-sqrt(abar), 1 - abar) by quadrature on a fine grid
        sd = np.sqrt(1 - ab)
        x = np.linspace(-np.sqrt(ab) - 12 * sd, np.sqrt(ab) + 12 * sd, 400_001)
        dens = 0.5 * (np.exp(-0.5 * ((x - np.sqrt(ab)) / sd) ** 2) + np.exp(-0.5 * ((x + np.sqrt(ab)) / sd) ** 2))
        dens /= sd * np.sqrt(2 * np.pi)
        mmse = np.sum(dens * (1 - np.tanh(np.sqrt(ab) * x / (1 - ab)) ** 2)) * (x[1] - x[0])
        assert 0 < mmse < 1 - ab
        s_star = bt + c0**2 * mmse
        assert bt < s_star < b
        # the closed-form minimiser agrees with a direct minimisation of the expected KL over sigma^2
        grid = np.linspace(bt, 1.2 * b, 20001)
        expected_kl = 0.5 * (bt / grid + c0**2 * mmse / grid - 1 + np.log(grid / bt))
        assert np.isclose(grid[np.argmin(expected_kl)], s_star, rtol=2e-3)
