"""Numerical checks of the Machinery page on gradient estimators (source/topics/gradient-estimators.md)."""

import numpy as np
import pytest


@pytest.mark.equations("gradient-estimators-baseline", "gradient-estimators-gaussian-estimators")
def test_constant_baseline_keeps_mean_and_has_stated_variance():
    rng = np.random.default_rng(0)
    n = 1_000_000
    for mu, sigma in [(1.5, 0.7), (0.0, 1.0), (-2.0, 1.3)]:
        eps = rng.standard_normal(n)
        z = mu + sigma * eps
        for b in (0.0, mu**2, mu**2 + sigma**2, mu**2 + 3 * sigma**2):
            g = (z**2 - b) * eps / sigma          # (f(z) - b) d/dmu log q(z)
            assert abs(g.mean() - 2 * mu) < 5 * g.std() / np.sqrt(n)
            var = (mu**2 - b) ** 2 / sigma**2 + 6 * (mu**2 - b) + 8 * mu**2 + 15 * sigma**2
            assert np.isclose(g.var(), var, rtol=0.03)
            assert var > 4 * sigma**2             # never below the pathwise variance
        # b = mu^2 + 3 sigma^2 minimises the variance over constant baselines
        bs = np.linspace(mu**2 - 5, mu**2 + 10, 3001)
        v = (mu**2 - bs) ** 2 / sigma**2 + 6 * (mu**2 - bs)
        assert np.isclose(bs[np.argmin(v)], mu**2 + 3 * sigma**2, atol=0.01)


@pytest.mark.equations("gradient-estimators-integrand-term", "gradient-estimators-score-function")
def test_integrand_term_for_an_elbo_like_objective():
    # q = N(m, 1), f_m(z) = -(z - 2)^2 / 2 - log q_m(z); E_q[f_m] = -((m - 2)^2 + 1)/2 + H(q)
    # so d/dm E_q[f_m] = -(m - 2); the second term of the identity, -E[d/dm log q_m], is zero.
    rng = np.random.default_rng(1)
    n = 1_000_000
    m = 0.7
    z = m + rng.standard_normal(n)
    log_q = -0.5 * np.log(2 * np.pi) - 0.5 * (z - m) ** 2
    f = -0.5 * (z - 2.0) ** 2 - log_q
    score = z - m                                  # d/dm log q_m(z)
    first = f * score                              # score-function term, f held fixed
    second = -score                                # E[d/dm f_m] = -E[score]
    total = first + second
    assert abs(total.mean() - (-(m - 2.0))) < 5 * total.std() / np.sqrt(n)
    assert abs(second.mean()) < 5 * second.std() / np.sqrt(n)
    assert second.var() > 0.9                      # a single sample of it does not vanish
