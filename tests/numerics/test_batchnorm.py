"""Numerical checks of the Batch Normalization chapter (source/papers/batchnorm.md).

The BN transform of Algorithm 1 is implemented in numpy; its backward pass in the closed form
derived in the chapter is compared with the paper's chain-rule expressions and with central finite
differences, and the invariances and the inference map of Algorithm 2 are checked numerically.
"""

import numpy as np
import pytest


def bn_forward(x, gamma, beta, eps):
    """Algorithm 1 applied to every column of x (shape m x d): returns y, x_hat, s."""
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    s = np.sqrt(var + eps)
    xhat = (x - mu) / s
    return gamma * xhat + beta, xhat, s


def bn_backward_closed(g, xhat, s, gamma):
    """Closed form: dl/dx_i = gamma/(m s) (m g_i - sum g - x_hat_i sum g x_hat)."""
    m = g.shape[0]
    dbeta = g.sum(axis=0)
    dgamma = (g * xhat).sum(axis=0)
    dx = gamma / (m * s) * (m * g - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def bn_backward_chain(g, x, gamma, eps):
    """The paper's six chain-rule expressions, term by term (before simplification)."""
    m = x.shape[0]
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    dxhat = g * gamma
    dvar = (dxhat * (x - mu) * (-0.5) * (var + eps) ** (-1.5)).sum(axis=0)
    dmu = (dxhat * (-1.0 / np.sqrt(var + eps))).sum(axis=0) + dvar * (-2.0 * (x - mu)).sum(axis=0) / m
    dx = dxhat / np.sqrt(var + eps) + dvar * 2.0 * (x - mu) / m + dmu / m
    xhat = (x - mu) / np.sqrt(var + eps)
    return dx, (g * xhat).sum(axis=0), g.sum(axis=0)


def loss(y, c):
    """A non-trivial scalar loss of the BN outputs."""
    return float(np.sum(c * y) + 0.5 * np.sum(np.sin(y) ** 2))


def dloss(y, c):
    return c + np.sin(y) * np.cos(y)


@pytest.mark.equations("batchnorm-transform", "batchnorm-chain-rule", "batchnorm-backward")
def test_backward_closed_form_matches_chain_rule_and_finite_differences():
    rng = np.random.default_rng(1)
    m, d, eps = 7, 3, 1e-3
    x = rng.normal(2.0, 1.5, size=(m, d))
    gamma, beta = rng.normal(size=d), rng.normal(size=d)
    c = rng.normal(size=(m, d))
    y, xhat, s = bn_forward(x, gamma, beta, eps)
    g = dloss(y, c)
    dx, dgamma, dbeta = bn_backward_closed(g, xhat, s, gamma)
    dx_chain, dgamma_chain, dbeta_chain = bn_backward_chain(g, x, gamma, eps)
    np.testing.assert_allclose(dx, dx_chain, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dgamma, dgamma_chain, rtol=1e-12)
    np.testing.assert_allclose(dbeta, dbeta_chain, rtol=1e-12)
    # central finite differences of the full map x -> loss(BN(x))
    h = 1e-6
    fd = np.zeros_like(x)
    for i in range(m):
        for k in range(d):
            xp, xm = x.copy(), x.copy()
            xp[i, k] += h
            xm[i, k] -= h
            fd[i, k] = (loss(bn_forward(xp, gamma, beta, eps)[0], c) - loss(bn_forward(xm, gamma, beta, eps)[0], c)) / (2 * h)
    np.testing.assert_allclose(dx, fd, rtol=1e-5, atol=1e-7)
    fd_gamma = np.array([
        (loss(bn_forward(x, gamma + h * e, beta, eps)[0], c) - loss(bn_forward(x, gamma - h * e, beta, eps)[0], c)) / (2 * h)
        for e in np.eye(d)
    ])
    np.testing.assert_allclose(dgamma, fd_gamma, rtol=1e-6, atol=1e-8)


@pytest.mark.equations("batchnorm-transform", "batchnorm-scale-invariance", "normalization-orthogonality")
def test_normalised_moments_and_scale_invariance():
    rng = np.random.default_rng(2)
    m, n_in, d = 64, 10, 5
    u = rng.normal(size=(m, n_in))
    W = rng.normal(size=(n_in, d))
    x = u @ W + 3.0
    _, xhat, _ = bn_forward(x, 1.0, 0.0, 0.0)
    np.testing.assert_allclose(xhat.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose((xhat**2).mean(axis=0), 1.0, rtol=1e-12)
    # with epsilon the variance is slightly below one, by the factor var/(var+eps)
    var = x.var(axis=0)
    _, xhat_eps, _ = bn_forward(x, 1.0, 0.0, 1e-2)
    np.testing.assert_allclose((xhat_eps**2).mean(axis=0), var / (var + 1e-2), rtol=1e-12)
    np.testing.assert_allclose(xhat_eps.sum(axis=0), 0.0, atol=1e-12)  # the sum is zero for every eps
    # BN(Wu) = BN((aW)u), and the gradient w.r.t. W scales as 1/a
    gamma, beta = rng.normal(size=d), rng.normal(size=d)
    c = rng.normal(size=(m, d))
    a = 7.3
    y1 = bn_forward(u @ W, gamma, beta, 0.0)[0]
    y2 = bn_forward(u @ (a * W), gamma, beta, 0.0)[0]
    np.testing.assert_allclose(y1, y2, rtol=1e-12, atol=1e-12)

    def grad_W(Wm):
        y, xh, s = bn_forward(u @ Wm, gamma, beta, 0.0)
        dx, _, _ = bn_backward_closed(dloss(y, c), xh, s, gamma)
        return u.T @ dx

    G1, Ga = grad_W(W), grad_W(a * W)
    np.testing.assert_allclose(Ga, G1 / a, rtol=1e-9, atol=1e-12)
    # the gradient w.r.t. each column of W (one output unit) is orthogonal to that column
    np.testing.assert_allclose((G1 * W).sum(axis=0), 0.0, atol=1e-9)


@pytest.mark.equations("batchnorm-population", "batchnorm-inference", "batchnorm-bessel")
def test_inference_affine_map_and_unbiased_variance():
    rng = np.random.default_rng(3)
    m, nb, eps = 8, 20000, 1e-3
    true_mean, true_sd = 1.5, 2.0
    batches = rng.normal(true_mean, true_sd, size=(nb, m))
    mean_pop = batches.mean(axis=1).mean()
    var_pop = m / (m - 1) * batches.var(axis=1).mean()
    # the biased batch variance averages to (m-1)/m sigma^2; the corrected one to sigma^2
    assert abs(batches.var(axis=1).mean() - (m - 1) / m * true_sd**2) < 0.03
    assert abs(var_pop - true_sd**2) < 0.03
    assert abs(mean_pop - true_mean) < 0.01
    gamma, beta = 0.7, -0.4
    x = rng.normal(size=50)
    scale = gamma / np.sqrt(var_pop + eps)
    y_affine = scale * x + (beta - gamma * mean_pop / np.sqrt(var_pop + eps))
    y_norm = gamma * (x - mean_pop) / np.sqrt(var_pop + eps) + beta
    np.testing.assert_allclose(y_affine, y_norm, rtol=1e-12, atol=1e-12)
    # a batch whose own statistics equal the population ones gives the training transform
    z = rng.normal(size=m)
    z = (z - z.mean()) / z.std() * np.sqrt(var_pop) + mean_pop
    y_train = bn_forward(z[:, None], gamma, beta, eps)[0][:, 0]
    y_inf = scale * z + (beta - gamma * mean_pop / np.sqrt(var_pop + eps))
    np.testing.assert_allclose(y_train, y_inf, rtol=1e-10, atol=1e-12)


@pytest.mark.equations("batchnorm-conv", "batchnorm-gradient-norm", "normalization-backward")
def test_convolutional_statistics_and_gradient_norm():
    rng = np.random.default_rng(4)
    m, C, p, q = 4, 3, 5, 6
    x = rng.normal(size=(m, C, p, q)) * np.array([1.0, 3.0, 0.5])[None, :, None, None]
    # per feature map over (batch, rows, cols): effective batch m' = m p q
    flat = x.transpose(1, 0, 2, 3).reshape(C, -1)
    assert flat.shape[1] == m * p * q
    _, xhat, s = bn_forward(flat.T, 1.0, 0.0, 0.0)
    xhat_maps = xhat.T.reshape(C, m, p, q)
    np.testing.assert_allclose(xhat_maps.mean(axis=(1, 2, 3)), 0.0, atol=1e-12)
    np.testing.assert_allclose(xhat_maps.var(axis=(1, 2, 3)), 1.0, rtol=1e-12)
    # squared-norm identity of the gradient, eps = 0, one feature map
    g = rng.normal(size=flat.shape[1])
    gamma = 1.7
    xh, sk = xhat[:, 0], s[0]
    dx, _, _ = bn_backward_closed(g[:, None], xh[:, None], sk, gamma)
    mprime = flat.shape[1]
    rhs = gamma**2 / sk**2 * (g @ g - g.sum() ** 2 / mprime - (xh @ g) ** 2 / mprime)
    np.testing.assert_allclose(dx[:, 0] @ dx[:, 0], rhs, rtol=1e-10)
    assert dx[:, 0] @ dx[:, 0] <= gamma**2 / sk**2 * (g @ g)


@pytest.mark.equations("batchnorm-backward", "batchnorm-transform")
def test_gradient_sums_to_zero_for_every_epsilon_but_orthogonality_needs_epsilon_zero():
    rng = np.random.default_rng(5)
    m, d = 9, 4
    x = rng.normal(1.0, 0.7, size=(m, d))
    gamma, beta = rng.normal(size=d), rng.normal(size=d)
    c = rng.normal(size=(m, d))
    for eps in (0.0, 1e-3, 0.5):
        y, xhat, s = bn_forward(x, gamma, beta, eps)
        g = dloss(y, c)
        dx, _, _ = bn_backward_closed(g, xhat, s, gamma)
        # sum_i dl/dx_i = 0 holds whatever epsilon is
        np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12)
        # sum_i x_i dl/dx_i = gamma * eps / s^2 * sum_j g_j xhat_j, zero only for eps = 0
        expected = gamma * eps / s**2 * (g * xhat).sum(axis=0)
        np.testing.assert_allclose((x * dx).sum(axis=0), expected, rtol=1e-9, atol=1e-12)
        if eps > 0:
            assert np.all(np.abs(expected) > 1e-6)
    # a constant batch is the excluded case: x_hat = 0, so the sum vanishes although eps > 0
    xc = np.full((m, 1), 2.5)
    y, xhat, s = bn_forward(xc, 1.3, 0.2, 1e-3)
    dx, _, _ = bn_backward_closed(dloss(y, c[:, :1]), xhat, s, 1.3)
    assert np.all(xhat == 0.0)
    np.testing.assert_allclose((xc * dx).sum(axis=0), 0.0, atol=1e-12)
