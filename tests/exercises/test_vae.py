"""Checks of the stated answers of the exercises in papers/vae.md."""
import math

import numpy as np
import pytest

from exercises.answers import answer, answers


def _quad(fun, lo, hi, n=400001):
    x = np.linspace(lo, hi, n)
    return np.trapezoid(fun(x), x)


def _log_normal(u, mean, var):
    return -0.5 * np.log(2 * np.pi * var) - (u - mean) ** 2 / (2 * var)


def test_kl_to_a_scaled_prior():
    stated = answer("ex-vae-kl-scaled-prior")
    for mu, sigma, s in [(0.3, 0.7, 1.0), (-1.2, 0.4, 2.5), (0.0, 1.5, 0.6)]:
        integrand = lambda z: np.exp(_log_normal(z, mu, sigma**2)) * (
            _log_normal(z, mu, sigma**2) - _log_normal(z, 0.0, s**2))
        computed = _quad(integrand, mu - 14 * sigma, mu + 14 * sigma)
        assert stated.value(mu=mu, sigma=sigma, s=s) == pytest.approx(computed, rel=1e-6, abs=1e-9)
    assert stated.value(mu=0.0, sigma=2.0, s=2.0) == pytest.approx(0.0, abs=1e-12)


def test_pathwise_gradient_of_an_indicator():
    true_gradient, pathwise_mean = answers("ex-vae-discontinuous-integrand")
    # (a) finite difference of E f = P(phi + eps > 0) = Phi(phi)
    Phi = lambda t: 0.5 * (1 + math.erf(t / math.sqrt(2)))
    h = 1e-5
    assert true_gradient.value() == pytest.approx((Phi(h) - Phi(-h)) / (2 * h), rel=1e-6)
    # (b) the pathwise derivative per sample, by finite differences far below the smallest |eps|
    rng = np.random.default_rng(3)
    eps = rng.normal(size=100000)
    step = 1e-3 * np.min(np.abs(eps))
    f = lambda z: (z > 0).astype(float)
    per_sample = (f(step + eps) - f(-step + eps)) / (2 * step)
    assert pathwise_mean.value() == pytest.approx(per_sample.mean(), abs=1e-12)


def test_compute_budget():
    slow_fast = answers("ex-vae-compute")
    flops, seconds_per_million, samples = 40e9, np.array([20.0, 40.0]) * 60, 1e6
    per_sample = flops * seconds_per_million / samples
    assert slow_fast[0].value() == pytest.approx(per_sample[0], rel=1e-9)
    assert slow_fast[1].value() == pytest.approx(per_sample[1], rel=1e-9)
    updates = samples / 100
    assert slow_fast[2].value() == pytest.approx(updates, rel=1e-9)
    assert slow_fast[3].value() == pytest.approx(seconds_per_million[0] / updates, rel=1e-9)
    assert slow_fast[4].value() == pytest.approx(samples / 50000, rel=1e-9)


def _bound_by_quadrature(x, m, s2, v=0.5):
    # E_q[log p(x, z) - log q(z)] by Gauss-Hermite quadrature (probabilists' weights)
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    z = m + math.sqrt(s2) * nodes
    integrand = _log_normal(x, z, v) + _log_normal(z, 0.0, 1.0) - _log_normal(z, m, s2)
    return float(np.sum(weights * integrand) / math.sqrt(2 * math.pi))


def _estimator_variances(x, m, s2, v=0.5):
    # variances of the single-sample forms A and B by Gauss-Hermite quadrature over eps
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    weights = weights / math.sqrt(2 * math.pi)
    z = m + math.sqrt(s2) * nodes
    form_b = _log_normal(x, z, v)
    form_a = form_b + _log_normal(z, 0.0, 1.0) - _log_normal(z, m, s2)
    var = lambda g: float(np.sum(weights * g**2) - np.sum(weights * g) ** 2)
    return var(form_a), var(form_b)


def test_variances_of_the_two_forms():
    var_a, var_b = answers("ex-vae-two-estimators")[2:]
    computed_a, computed_b = _estimator_variances(1.0, 0.5, 0.25)
    assert var_a.value() == pytest.approx(computed_a, rel=1e-9)
    assert var_b.value() == pytest.approx(computed_b, rel=1e-9)
    assert var_a.value() < var_b.value()


def test_bound_of_the_conjugate_model():
    bound, evidence = answers("ex-vae-two-estimators")[:2]
    assert bound.value() == pytest.approx(_bound_by_quadrature(1.0, 0.5, 0.25), rel=1e-9)
    # at the exact posterior (precision 1 + 2, mean 2x/3) the bound is log p(x)
    assert evidence.value() == pytest.approx(_bound_by_quadrature(1.0, 2 / 3, 1 / 3), rel=1e-9)
    # and log p(x) by direct integration of the joint density
    marginal = _quad(lambda z: np.exp(_log_normal(1.0, z, 0.5) + _log_normal(z, 0.0, 1.0)), -12, 12)
    assert evidence.value() == pytest.approx(math.log(marginal), rel=1e-8)
