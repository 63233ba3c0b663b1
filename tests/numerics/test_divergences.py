"""Numerical checks of the divergences topic page."""
import numpy as np
import pytest

KL = lambda p, q: float(np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / q), 0.0)))
H = lambda p: float(-np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)))


def JS(p, q):
    m = (p + q) / 2
    return 0.5 * KL(p, m) + 0.5 * KL(q, m)


@pytest.mark.equations("divergences-kl-bernoulli")
def test_bernoulli_numbers_of_the_page():
    ber = lambda a: np.array([a, 1 - a])
    assert round(KL(ber(0.5), ber(0.01)), 2) == 1.61
    assert round(KL(ber(0.01), ber(0.5)), 2) == 0.64


@pytest.mark.equations("divergences-js", "divergences-js-entropy", "divergences-js-bound", "divergences-f", "divergences-gan-f")
def test_js_forms_bounds_and_generators():
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
    js = JS(p, q)
    assert np.isclose(js, H((p + q) / 2) - (H(p) + H(q)) / 2)
    assert 0 < js < np.log(2)
    u = p / q
    f_js = 0.5 * (u * np.log(u) - (u + 1) * np.log((u + 1) / 2))
    assert np.isclose(np.sum(q * f_js), js)
    f_gan = u * np.log(u) - (u + 1) * np.log(u + 1)
    assert np.isclose(np.sum(q * f_gan), 2 * js - np.log(4))
    # disjoint supports attain log 2
    assert np.isclose(JS(np.array([0.3, 0.7, 0, 0]), np.array([0, 0, 0.5, 0.5])), np.log(2))


@pytest.mark.equations("divergences-variational", "divergences-conjugate", "divergences-pinsker", "divergences-tv")
def test_variational_bound_tight_at_optimal_critic_and_pinsker():
    rng = np.random.default_rng(1)
    p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
    fstar = lambda t: np.exp(t - 1)              # conjugate of u log u
    J = lambda T: np.sum(p * T) - np.sum(q * fstar(T))
    Tstar = 1 + np.log(p / q)
    assert np.isclose(J(Tstar), KL(p, q))
    for _ in range(50):
        assert J(Tstar + 0.3 * rng.normal(size=6)) <= KL(p, q) + 1e-12
    # GAN conjugate -log(1 - e^t) against a direct supremum over a grid
    us = np.linspace(1e-6, 200, 400001)
    for t in (-3.0, -0.7, -0.05):
        direct = np.max(us * t - (us * np.log(us) - (us + 1) * np.log(us + 1)))
        assert np.isclose(direct, -np.log(1 - np.exp(t)), atol=1e-6)
    for _ in range(20):
        a, b = rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4))
        assert 0.5 * np.abs(a - b).sum() <= np.sqrt(0.5 * KL(a, b)) + 1e-12


@pytest.mark.equations("divergences-variational")
def test_truncated_critic_approaches_kl_when_p_misses_support():
    # p = 0 < q at the last point: the supremum is reached only as T -> -infinity there
    p, q = np.array([0.6, 0.4, 0.0]), np.array([0.3, 0.3, 0.4])
    kl = KL(p, q)
    vals = []
    for n in (1, 5, 20):
        T = np.array([1 + np.log(0.6 / 0.3), 1 + np.log(0.4 / 0.3), -n])
        vals.append(np.sum(p * T) - np.sum(q * np.exp(T - 1)))
    assert all(v < kl for v in vals) and np.isclose(vals[-1], kl, atol=1e-8)


def f_divergence(f, f0, f_inf, p, q):
    """D_f(p || q) with the page's convention: q f(0) where p = 0 < q, p f'(infinity) where q = 0 < p."""
    both = (p > 0) & (q > 0)
    return float(np.sum(q[both] * f(p[both] / q[both])) + f0 * q[(p == 0) & (q > 0)].sum()
                 + f_inf * p[(q == 0) & (p > 0)].sum())


@pytest.mark.equations("divergences-f", "divergences-tv", "divergences-js", "divergences-gan-f")
def test_generators_give_tv_js_and_gan_for_pairs_that_miss_each_other():
    rng = np.random.default_rng(2)
    p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
    p[:2], q[4:] = 0, 0  # points charged by one distribution only, each way
    p, q = p / p.sum(), q / q.sum()
    tv = lambda u: 0.5 * np.abs(u - 1)
    js = lambda u: 0.5 * (u * np.log(u) - (u + 1) * np.log((u + 1) / 2))
    gan = lambda u: u * np.log(u) - (u + 1) * np.log(u + 1)
    assert np.isclose(f_divergence(tv, 0.5, 0.5, p, q), 0.5 * np.abs(p - q).sum())
    assert np.isclose(f_divergence(js, 0.5 * np.log(2), 0.5 * np.log(2), p, q), JS(p, q))
    assert np.isclose(f_divergence(gan, 0.0, 0.0, p, q), 2 * JS(p, q) - np.log(4))
    # disjoint supports: f(0) + f'(infinity), log 2 for Jensen-Shannon
    a, b = np.array([0.3, 0.7, 0, 0]), np.array([0, 0, 0.5, 0.5])
    assert np.isclose(f_divergence(js, 0.5 * np.log(2), 0.5 * np.log(2), a, b), np.log(2))
