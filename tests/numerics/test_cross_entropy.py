"""Numerical checks of the cross-entropy topic page."""
import numpy as np
import pytest


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def loss(z, t):
    return -(t * np.log(softmax(z))).sum()


@pytest.mark.equations("cross-entropy-softmax-loss", "cross-entropy-softmax-grad")
def test_softmax_gradient_and_hessian_by_finite_differences():
    rng = np.random.default_rng(0)
    K, h = 6, 1e-5
    z = rng.normal(size=K)
    t = rng.dirichlet(np.ones(K))
    s = softmax(z)
    eye = np.eye(K)
    grad = np.array([(loss(z + h * eye[k], t) - loss(z - h * eye[k], t)) / (2 * h) for k in range(K)])
    assert np.allclose(grad, s - t, atol=1e-8)
    # log-sum-exp minus the correct logit, for a one-hot target
    y = 2
    assert np.isclose(loss(z, eye[y]), -z[y] + np.log(np.exp(z).sum()))
    hess = np.array([[(loss(z + h * eye[k] + h * eye[l], t) - loss(z + h * eye[k] - h * eye[l], t)
                       - loss(z - h * eye[k] + h * eye[l], t) + loss(z - h * eye[k] - h * eye[l], t)) / (4 * h * h)
                      for l in range(K)] for k in range(K)])
    assert np.allclose(hess, np.diag(s) - np.outer(s, s), atol=1e-5)
    assert np.linalg.eigvalsh(np.diag(s) - np.outer(s, s)).min() > -1e-12


@pytest.mark.equations("cross-entropy-binary")
def test_binary_gradient_is_prediction_minus_soft_target():
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))
    ell = lambda a, y: -y * np.log(sig(a)) - (1 - y) * np.log(1 - sig(a))
    h = 1e-6
    for a in (-3.0, -0.2, 1.7):
        for y in (0.0, 0.3, 1.0):
            assert np.isclose((ell(a + h, y) - ell(a - h, y)) / (2 * h), sig(a) - y, atol=1e-7)


@pytest.mark.equations("cross-entropy-label-smoothing")
def test_label_smoothing_decomposition_and_optimal_gap():
    K, eps, y = 10, 0.1, 3
    t = (1 - eps) * np.eye(K)[y] + eps / K
    rng = np.random.default_rng(1)
    z = rng.normal(size=K)
    s = softmax(z)
    H = lambda a, b: -(a * np.log(b)).sum()
    assert np.isclose(H(t, s), (1 - eps) * H(np.eye(K)[y], s) + eps * H(np.ones(K) / K, s))
    # the minimiser over logits: gradient s - t vanishes at s = t, gap log((1 - eps + eps/K)/(eps/K))
    zstar = np.log(t)
    assert np.allclose(softmax(zstar), t)
    gap = np.log((1 - eps + eps / K) / (eps / K))
    assert np.isclose(zstar[y] - zstar[(y + 1) % K], gap)
    for _ in range(20):
        assert loss(zstar + 0.1 * rng.normal(size=K), t) > loss(zstar, t)


@pytest.mark.equations("cross-entropy-decomposition")
def test_cross_entropy_is_entropy_plus_kl():
    rng = np.random.default_rng(2)
    p, q = rng.dirichlet(np.ones(7)), rng.dirichlet(np.ones(7))
    H = -(p * np.log(q)).sum()
    assert np.isclose(H, -(p * np.log(p)).sum() + (p * np.log(p / q)).sum())
    assert H >= -(p * np.log(p)).sum()
