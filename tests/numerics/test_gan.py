"""Numerical checks for the GAN chapter (source/papers/gan.md) and the divergences topic page."""
import numpy as np
import pytest

RNG = np.random.default_rng(20140610)


def random_dist(n, rng=RNG):
    p = rng.random(n) + 0.05
    return p / p.sum()


def kl(p, q):
    mask = p > 0
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])))


def js(p, q):
    m = 0.5 * (p + q)
    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


def entropy(p):
    mask = p > 0
    return float(-np.sum(p[mask] * np.log(p[mask])))


def value(p_data, p_g, d):
    """V(G, D) on a finite space, Eq. gan-value-integral."""
    return float(np.sum(p_data * np.log(d) + p_g * np.log1p(-d)))


def c_of_g(p_data, p_g):
    """Virtual training criterion, Eq. gan-virtual-criterion."""
    s = p_data + p_g
    return float(np.sum(p_data * np.log(p_data / s)) + np.sum(p_g * np.log(p_g / s)))


@pytest.mark.equations("gan-pointwise", "gan-optimal-d", "gan-value-integral")
def test_grid_search_maximiser_is_optimal_discriminator():
    p_data, p_g = random_dist(7), random_dist(7)
    grid = np.linspace(1e-4, 1 - 1e-4, 200001)
    d_grid = np.empty(7)
    for i in range(7):
        phi = p_data[i] * np.log(grid) + p_g[i] * np.log1p(-grid)
        d_grid[i] = grid[np.argmax(phi)]
    d_star = p_data / (p_data + p_g)
    np.testing.assert_allclose(d_grid, d_star, atol=1e-4)
    # no other discriminator does better on the full value function
    v_star = value(p_data, p_g, d_star)
    for _ in range(200):
        d = RNG.uniform(0.01, 0.99, 7)
        assert value(p_data, p_g, d) <= v_star + 1e-12


@pytest.mark.equations("gan-virtual-criterion", "gan-c-jsd", "divergences-js", "divergences-js-entropy")
def test_virtual_criterion_is_minus_log4_plus_2jsd():
    for _ in range(20):
        p_data, p_g = random_dist(9), random_dist(9)
        c = c_of_g(p_data, p_g)
        assert abs(c - value(p_data, p_g, p_data / (p_data + p_g))) < 1e-12
        assert abs(c - (-np.log(4.0) + 2.0 * js(p_data, p_g))) < 1e-12
        m = 0.5 * (p_data + p_g)
        assert abs(js(p_data, p_g) - (entropy(m) - 0.5 * (entropy(p_data) + entropy(p_g)))) < 1e-12
        assert c > -np.log(4.0)
    p = random_dist(9)
    assert abs(c_of_g(p, p) + np.log(4.0)) < 1e-12


@pytest.mark.equations("divergences-js-bound", "divergences-gibbs", "divergences-kl-bernoulli", "divergences-pinsker", "divergences-tv")
def test_divergence_inequalities():
    for _ in range(200):
        p, q = random_dist(5), random_dist(5)
        assert kl(p, q) >= 0.0
        assert 0.0 <= js(p, q) <= np.log(2.0)
        tv = 0.5 * np.abs(p - q).sum()
        # sup over events, by brute force over all subsets
        best = max(abs(p[list(s)].sum() - q[list(s)].sum()) for s in _subsets(5))
        assert abs(best - tv) < 1e-12
        assert tv <= np.sqrt(0.5 * kl(p, q)) + 1e-12
    # disjoint supports saturate JS at log 2
    p = np.array([0.3, 0.7, 0.0, 0.0])
    q = np.array([0.0, 0.0, 0.4, 0.6])
    assert abs(js(p, q) - np.log(2.0)) < 1e-12
    # Bernoulli example of asymmetry quoted on the divergences page
    a, b = 0.5, 0.01
    kl_ab = a * np.log(a / b) + (1 - a) * np.log((1 - a) / (1 - b))
    kl_ba = b * np.log(b / a) + (1 - b) * np.log((1 - b) / (1 - a))
    assert abs(kl_ab - kl(np.array([a, 1 - a]), np.array([b, 1 - b]))) < 1e-12
    assert abs(kl_ab - 1.614) < 1e-3 and abs(kl_ba - 0.637) < 1e-3


def _subsets(n):
    for mask in range(1 << n):
        yield [i for i in range(n) if mask >> i & 1]


@pytest.mark.equations("gan-logit-gradients", "gan-nonsaturating", "cross-entropy-binary")
def test_saturating_vs_nonsaturating_gradients():
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))
    h = 1e-6
    for a in [-9.0, -6.9, -3.0, 0.0, 2.0]:
        d = sig(a)
        g_sat = (np.log1p(-sig(a + h)) - np.log1p(-sig(a - h))) / (2 * h)
        g_ns = (-np.log(sig(a + h)) + np.log(sig(a - h))) / (2 * h)
        assert abs(g_sat + d) < 1e-6
        assert abs(g_ns + (1.0 - d)) < 1e-6
    # when D(G(z)) = 1e-3 the non-saturating gradient is ~1000 times larger
    a = np.log(1e-3 / (1 - 1e-3))
    d = sig(a)
    ratio = (1.0 - d) / d
    assert 998.0 < ratio < 1000.0


@pytest.mark.equations("gan-ns-divergence")
def test_nonsaturating_loss_decomposition_at_optimal_d():
    for _ in range(20):
        p_data, p_g = random_dist(8), random_dist(8)
        d_star = p_data / (p_data + p_g)
        lhs = float(np.sum(p_g * -np.log(d_star)))
        rhs = kl(p_g, p_data) - 2.0 * js(p_data, p_g) + np.log(4.0) + float(np.sum(p_data * np.log(d_star)))
        assert abs(lhs - rhs) < 1e-12


@pytest.mark.equations("gan-functional-gradient", "gan-c-jsd")
def test_function_space_subgradient_descent_converges():
    p_data = random_dist(12)
    p_g = random_dist(12)
    # subgradient inequality: C(p') >= C(p) + <log(1 - D*), p' - p>
    g = np.log1p(-p_data / (p_data + p_g))
    for _ in range(100):
        p2 = random_dist(12)
        assert c_of_g(p_data, p2) >= c_of_g(p_data, p_g) + float(np.dot(g, p2 - p_g)) - 1e-12
    # mirror-descent steps along the functional gradient keep p_g a distribution and decrease C
    eta, history = 0.5, []
    for _ in range(400):
        d_star = p_data / (p_data + p_g)
        p_g = p_g * np.exp(-eta * np.log1p(-d_star))
        p_g /= p_g.sum()
        history.append(c_of_g(p_data, p_g))
    assert np.all(np.diff(history) <= 1e-12)
    assert history[-1] + np.log(4.0) < 1e-8
    np.testing.assert_allclose(p_g, p_data, atol=1e-4)


@pytest.mark.equations("divergences-variational", "divergences-gan-f", "divergences-conjugate", "divergences-f")
def test_gan_value_is_fgan_lower_bound():
    f = lambda u: u * np.log(u) - (u + 1) * np.log(u + 1)
    u_grid = np.logspace(-6, 6, 400001)
    for t in [-3.0, -1.0, -0.3, -0.05]:
        f_star_numeric = np.max(u_grid * t - f(u_grid))
        assert abs(f_star_numeric - (-np.log(1 - np.exp(t)))) < 1e-6
    p, q = random_dist(6), random_dist(6)
    d_f = float(np.sum(q * f(p / q)))
    assert abs(d_f - (2 * js(p, q) - np.log(4.0))) < 1e-12
    f_star = lambda t: -np.log(1 - np.exp(t))
    for _ in range(100):
        d = RNG.uniform(0.01, 0.99, 6)
        t = np.log(d)
        bound = float(np.sum(p * t) - np.sum(q * f_star(t)))
        assert abs(bound - value(p, q, d)) < 1e-12  # the bound with T = log D is V(D, G)
        assert bound <= d_f + 1e-12
    t_opt = np.log(p / (p + q))  # f'(p/q)
    assert abs(float(np.sum(p * t_opt) - np.sum(q * f_star(t_opt))) - d_f) < 1e-12
