"""Numerical checks of the topic page source/topics/normalization.md.

The Jacobian of the standardisation against finite differences, the two sums of the backward
pass for epsilon = 0 and epsilon > 0, and the gradient identities of a scale-invariant loss.
"""

import numpy as np
import pytest


def standardise(x, eps):
    mu = x.mean()
    return (x - mu) / np.sqrt(x.var() + eps)


@pytest.mark.equations("normalization-jacobian", "normalization-standardize")
def test_jacobian_matches_finite_differences():
    rng = np.random.default_rng(0)
    n = 7
    x = rng.standard_normal(n) * 2 + 1
    for eps in [0.0, 0.3]:
        s = np.sqrt(x.var() + eps)
        xh = standardise(x, eps)
        J = (np.eye(n) - np.ones((n, n)) / n - np.outer(xh, xh) / n) / s
        h = 1e-6
        Jfd = np.stack([(standardise(x + h * e, eps) - standardise(x - h * e, eps)) / (2 * h) for e in np.eye(n)], axis=1)
        assert np.allclose(J, Jfd, atol=1e-7)
        assert np.allclose(J, J.T)
        # eigenvalues of s J: 1 (n - 2 times), 0 on the ones direction, eps / s^2 on x_hat
        ev = np.sort(np.linalg.eigvalsh(s * J))
        assert np.allclose(ev, np.sort(np.r_[np.ones(n - 2), 0.0, eps / s**2]), atol=1e-10)


@pytest.mark.equations("normalization-backward", "normalization-orthogonality")
def test_backward_sums():
    rng = np.random.default_rng(1)
    n = 9
    x, g = rng.standard_normal(n) + 0.5, rng.standard_normal(n)
    for eps in [0.0, 0.2]:
        s = np.sqrt(x.var() + eps)
        xh = (x - x.mean()) / s
        grad = (g - g.mean() - (g * xh).mean() * xh) / s
        assert np.isclose(grad.sum(), 0.0)
        assert np.isclose(x @ grad, eps / s**2 * (g @ xh))
        if eps == 0.0:
            assert np.isclose(x @ grad, 0.0)
        else:
            assert not np.isclose(x @ grad, 0.0)


@pytest.mark.equations("normalization-scale-invariance", "normalization-norm-growth")
def test_scale_invariant_gradient():
    rng = np.random.default_rng(2)
    u = rng.standard_normal((16, 5))
    target = rng.standard_normal(16)

    def loss(w):
        z = u @ w
        return np.sum((standardise(z, 0.0) - target) ** 2)

    def grad(w, h=1e-6):
        return np.array([(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(w.size)])

    w = rng.standard_normal(5)
    gw = grad(w)
    assert abs(gw @ w) < 1e-6 * np.linalg.norm(gw) * np.linalg.norm(w)
    a = 3.0
    assert np.allclose(grad(a * w), gw / a, atol=1e-6)
    eta = 0.1
    w1 = w - eta * gw
    assert np.isclose(w1 @ w1, w @ w + eta**2 * gw @ gw, rtol=1e-6)
