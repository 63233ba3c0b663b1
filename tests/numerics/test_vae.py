"""Numerical checks of the variational autoencoder chapter (Kingma and Welling, 2014)."""
import numpy as np
import pytest


def _kl_closed_form(mu, log_var):
    """-KL from paper App. B, returned as the (positive) KL divergence."""
    return -0.5 * np.sum(1.0 + log_var - mu**2 - np.exp(log_var))


@pytest.mark.equations("vae-kl-closed-form", "vae-kl-terms", "gaussians-kl-standard", "gaussians-kl-diagonal")
def test_closed_form_kl_matches_monte_carlo():
    rng = np.random.default_rng(1)
    J = 4
    mu = rng.normal(size=J)
    log_var = rng.normal(scale=0.7, size=J)
    sd = np.exp(0.5 * log_var)
    n = 400_000
    z = mu + sd * rng.standard_normal((n, J))
    log_q = np.sum(-0.5 * np.log(2 * np.pi) - 0.5 * log_var - 0.5 * ((z - mu) / sd) ** 2, axis=1)
    log_p = np.sum(-0.5 * np.log(2 * np.pi) - 0.5 * z**2, axis=1)
    mc = np.mean(log_q - log_p)
    se = np.std(log_q - log_p) / np.sqrt(n)
    kl = _kl_closed_form(mu, log_var)
    assert abs(mc - kl) < 5 * se
    # the general diagonal formula with p1 = N(0, I) gives the same number
    general = 0.5 * np.sum(sd**2 + mu**2 - 1.0 + np.log(1.0 / sd**2))
    assert np.isclose(general, kl)
    # zero exactly at the prior
    assert np.isclose(_kl_closed_form(np.zeros(J), np.zeros(J)), 0.0)


@pytest.mark.equations(
    "vae-reparam", "vae-score-function", "gradient-estimators-gaussian-variance",
    "gradient-estimators-score-function", "gradient-estimators-pathwise",
)
def test_reparameterised_gradient_has_lower_variance_and_both_unbiased():
    rng = np.random.default_rng(2)
    n = 400_000
    for mu, sigma in [(0.0, 1.0), (1.5, 0.7), (-2.0, 1.3)]:
        eps = rng.standard_normal(n)
        z = mu + sigma * eps
        g_sf = z**2 * (z - mu) / sigma**2          # f(z) d/dmu log q(z)
        g_pw = 2.0 * z                             # f'(z) dz/dmu
        exact = 2.0 * mu                           # d/dmu (mu^2 + sigma^2)
        for g in (g_sf, g_pw):
            assert abs(g.mean() - exact) < 5 * g.std() / np.sqrt(n)
        v_sf = mu**4 / sigma**2 + 14 * mu**2 + 15 * sigma**2
        v_pw = 4 * sigma**2
        assert np.isclose(g_sf.var(), v_sf, rtol=0.05)
        assert np.isclose(g_pw.var(), v_pw, rtol=0.02)
        assert g_pw.var() < g_sf.var()


def _elbo(m, v, x, s2):
    return (-0.5 * np.log(2 * np.pi * s2) - ((x - m) ** 2 + v) / (2 * s2)
            - 0.5 * (m**2 + v - 1 - np.log(v)))


@pytest.mark.equations(
    "vae-marginal", "vae-elbo", "vae-elbo-split", "variational-inference-elbo",
    "variational-inference-gap", "variational-inference-gaussian-example",
)
def test_elbo_below_log_evidence_with_equality_at_posterior():
    s2, x = 0.5, 1.3
    log_px = -0.5 * np.log(2 * np.pi * (1 + s2)) - x**2 / (2 * (1 + s2))
    pm, pv = x / (1 + s2), s2 / (1 + s2)
    assert np.isclose(_elbo(pm, pv, x, s2), log_px)
    rng = np.random.default_rng(3)
    for _ in range(200):
        m, v = rng.normal(scale=2.0), np.exp(rng.normal())
        gap = log_px - _elbo(m, v, x, s2)
        kl = 0.5 * (v / pv + (m - pm) ** 2 / pv - 1 + np.log(pv / v))
        assert gap >= -1e-12
        assert np.isclose(gap, kl)          # log p(x) = ELBO + KL(q || posterior)


def _sgvb_samples(m, v, x, s2, eps):
    z = m + np.sqrt(v) * eps
    log_lik = -0.5 * np.log(2 * np.pi * s2) - (x - z) ** 2 / (2 * s2)
    log_prior = -0.5 * np.log(2 * np.pi) - 0.5 * z**2
    log_q = -0.5 * np.log(2 * np.pi * v) - 0.5 * (z - m) ** 2 / v
    est_a = log_lik + log_prior - log_q
    est_b = -0.5 * (m**2 + v - 1 - np.log(v)) + log_lik
    return est_a, est_b


@pytest.mark.equations("vae-sgvb-a", "vae-sgvb-b", "vae-minibatch")
def test_both_sgvb_estimators_are_unbiased_and_neither_dominates():
    rng = np.random.default_rng(4)
    eps = rng.standard_normal(400_000)
    for s2, x, m, v in [(0.5, 1.3, 0.4, 0.6), (10.0, 1.3, 0.3, 0.5)]:
        est_a, est_b = _sgvb_samples(m, v, x, s2, eps)
        target = _elbo(m, v, x, s2)
        for est in (est_a, est_b):
            assert abs(est.mean() - target) < 5 * est.std() / np.sqrt(est.size)
    # a weak likelihood and a q narrower than the prior: the analytic KL (form B) wins
    est_a, est_b = _sgvb_samples(0.3, 0.5, 1.3, 10.0, eps)
    assert est_b.var() < 0.2 * est_a.var()
    # at the exact posterior, form A is the constant log p(x): zero variance
    s2, x = 0.5, 1.3
    est_a, est_b = _sgvb_samples(x / (1 + s2), s2 / (1 + s2), x, s2, eps)
    log_px = -0.5 * np.log(2 * np.pi * (1 + s2)) - x**2 / (2 * (1 + s2))
    assert np.allclose(est_a, log_px)
    assert est_b.var() > 0.1
    # the N/M-scaled minibatch sum is unbiased for the full-data bound
    data = rng.normal(size=50)
    m, v = 0.4, 0.6
    full = sum(_elbo(m, v, xi, s2) for xi in data)
    idx = rng.integers(0, 50, size=(20000, 10))
    mb = (50 / 10) * _elbo(m, v, data[idx], s2).sum(axis=1)
    assert abs(mb.mean() - full) < 5 * mb.std() / np.sqrt(mb.size)
