"""Numerical checks of the double-descent chapter (Belkin, Hsu, Ma and Mandal, 2019) and of the
bias-variance and kernel identities it rests on."""

import numpy as np
import pytest

from conftest import figure_script


def gaussian_gram(A, B, ell2=1.0):
    d2 = (A**2).sum(1)[:, None] + (B**2).sum(1)[None, :] - 2.0 * A @ B.T
    return np.exp(-np.maximum(d2, 0.0) / (2.0 * ell2))


@pytest.mark.equations(
    "bias-variance-decomposition", "bias-variance-linear-smoother", "double-descent-bias-variance",
)
def test_bias_variance_decomposition_by_monte_carlo():
    """Fit a straight line to a quadratic target (so the bias is not zero) on a fixed design and
    compare the Monte Carlo squared error at a test point, with independent test labels, with
    noise + bias^2 + variance computed from the linear-smoother formulas."""
    rng = np.random.default_rng(0)
    n, noise, reps = 12, 0.5, 400_000
    x = np.linspace(-1.0, 1.0, n)
    f = lambda t: 1.0 + t + 1.5 * t**2
    X = np.c_[np.ones(n), x]
    x0 = 0.9
    s = X @ np.linalg.solve(X.T @ X, np.array([1.0, x0]))   # h_D(x0) = s^T y
    y = f(x)[None, :] + noise * rng.standard_normal((reps, n))
    h = y @ s
    y0 = f(x0) + noise * rng.standard_normal(reps)
    mc = np.mean((h - y0) ** 2)
    bias2 = (s @ f(x) - f(x0)) ** 2
    variance = noise**2 * s @ s
    predicted = noise**2 + bias2 + variance
    assert bias2 > 0.05 and variance > 0.03                    # all three terms matter
    assert abs(mc - predicted) < 0.01 * predicted
    # and the Monte Carlo bias and variance agree with the formulas separately
    assert abs((h.mean() - f(x0)) ** 2 - bias2) < 0.02 * bias2
    assert abs(h.var() - variance) < 0.02 * variance


@pytest.mark.equations("bias-variance-averaging")
def test_variance_of_an_average_of_correlated_predictors():
    rng = np.random.default_rng(1)
    B, rho, v, reps = 7, 0.3, 2.0, 400_000
    common = rng.standard_normal((reps, 1))
    own = rng.standard_normal((reps, B))
    h = np.sqrt(v) * (np.sqrt(rho) * common + np.sqrt(1 - rho) * own)   # variance v, correlation rho
    assert abs(np.var(h.mean(axis=1)) - (rho * v + (1 - rho) * v / B)) < 0.01 * v


@pytest.mark.equations(
    "double-descent-min-norm", "double-descent-gd-rowspace", "double-descent-threshold",
    "kernels-min-norm-interpolant",
)
def test_pseudo_inverse_is_the_minimum_norm_interpolant_and_the_limit_of_gradient_descent():
    rng = np.random.default_rng(2)
    n, N = 15, 40
    Phi = rng.standard_normal((n, N))
    y = rng.standard_normal(n)
    a = np.linalg.pinv(Phi) @ y
    assert np.linalg.matrix_rank(Phi) == n
    np.testing.assert_allclose(Phi @ a, y, atol=1e-10)                     # interpolates
    np.testing.assert_allclose(a, Phi.T @ np.linalg.solve(Phi @ Phi.T, y), atol=1e-10)
    U, s, Wt = np.linalg.svd(Phi, full_matrices=False)
    assert np.isclose(a @ a, np.sum((U.T @ y) ** 2 / s**2))                # SVD norm formula
    null = np.linalg.svd(Phi)[2][n:].T                                     # basis of ker(Phi)
    for _ in range(200):                                                   # every other interpolant is longer
        b = a + null @ rng.standard_normal(N - n)
        np.testing.assert_allclose(Phi @ b, y, atol=1e-9)
        assert b @ b > a @ a and np.isclose(b @ b, a @ a + (b - a) @ (b - a))
    # kernel form: a = Phi^T K^{-1} y with K = Phi Phi^T, and |a|^2 = y^T K^{-1} y
    assert np.isclose(a @ a, y @ np.linalg.solve(Phi @ Phi.T, y))
    # gradient descent from zero converges to the same vector
    eta = 1.0 / s[0] ** 2
    g = np.zeros(N)
    for _ in range(20_000):
        g -= eta * Phi.T @ (Phi @ g - y)
    np.testing.assert_allclose(g, a, atol=1e-8)
    # below the threshold there is no interpolant for generic labels
    assert np.linalg.norm(Phi[:, : n - 1] @ np.linalg.lstsq(Phi[:, : n - 1], y, rcond=None)[0] - y) > 1e-3


@pytest.mark.equations("kernels-gaussian-fourier", "double-descent-rff-kernel")
def test_random_fourier_features_average_to_the_gaussian_kernel():
    rng = np.random.default_rng(3)
    d, N, sigma = 4, 400_000, 1.7
    x, xp = rng.standard_normal(d), rng.standard_normal(d)
    V = rng.standard_normal((N, d)) / sigma
    kN = np.mean(np.exp(1j * V @ x) * np.conj(np.exp(1j * V @ xp)))
    k = np.exp(-np.sum((x - xp) ** 2) / (2 * sigma**2))
    assert abs(kN.real - k) < 4 * np.sqrt(0.5 / N) and abs(kN.imag) < 4 * np.sqrt(0.5 / N)


@pytest.mark.equations("double-descent-relu-model")
def test_random_relu_features_average_to_the_spherical_arc_cosine_kernel():
    rng = np.random.default_rng(4)
    d, N = 5, 1_000_000
    x, xp = rng.standard_normal(d), rng.standard_normal(d)
    V = rng.standard_normal((N, d))
    V /= np.linalg.norm(V, axis=1, keepdims=True)                          # uniform on the sphere
    mc = np.mean(np.maximum(V @ x, 0) * np.maximum(V @ xp, 0))
    theta = np.arccos(x @ xp / (np.linalg.norm(x) * np.linalg.norm(xp)))
    exact = np.linalg.norm(x) * np.linalg.norm(xp) / (2 * np.pi * d) * (np.sin(theta) + (np.pi - theta) * np.cos(theta))
    assert abs(mc - exact) < 0.01 * exact


@pytest.mark.equations(
    "double-descent-rkhs-norm", "double-descent-norm-monotone", "double-descent-norm-limit",
    "kernels-min-norm-interpolant",
)
def test_minimum_norm_interpolant_of_nested_random_features():
    """Nested real random Fourier features: the coefficient norm is non-increasing past N = n,
    the normalised norm equals y^T K_N^{-1} y, and it approaches the Gaussian-RKHS norm y^T K^{-1} y."""
    rng = np.random.default_rng(5)
    n, d, ell2 = 20, 3, 3.0
    X = rng.standard_normal((n, d))
    y = np.sin(X[:, 0]) + 0.1 * rng.standard_normal(n)
    Nmax = 200_000
    V = rng.standard_normal((d, Nmax)) / np.sqrt(ell2)
    b = rng.uniform(0, 2 * np.pi, Nmax)
    Z = np.sqrt(2) * np.cos(X @ V + b)
    coef_norms = []
    for N in range(n, 3 * n):
        a = np.linalg.pinv(Z[:, :N]) @ y
        coef_norms.append(a @ a)
        KN = Z[:, :N] @ Z[:, :N].T / N
        assert np.isclose(N * (a @ a), y @ np.linalg.solve(KN, y), rtol=1e-6)
    assert np.all(np.diff(coef_norms) <= 1e-9 * np.array(coef_norms[:-1]))  # non-increasing
    K = gaussian_gram(X, X, ell2)
    KN = Z @ Z.T / Nmax
    assert np.max(np.abs(KN - K)) < 0.02
    rkhs = y @ np.linalg.solve(K, y)
    assert abs(y @ np.linalg.solve(KN, y) - rkhs) < 0.1 * rkhs


@pytest.mark.equations("double-descent-norm-monotone", "double-descent-norm-limit", "double-descent-threshold")
def test_the_figure_peaks_at_the_interpolation_threshold():
    fig = figure_script("double-descent_rff.py")
    Ns, err, nrm, kernel_err, kernel_norm = fig.simulate(repeats=4, max_ratio=20)
    n = fig.N_TRAIN
    med_err, med_norm = np.median(err, axis=0), np.median(nrm, axis=0)
    assert Ns[np.argmax(med_err)] == n and Ns[np.argmax(med_norm)] == n    # both peak at N = n
    assert med_err[-1] < med_err[Ns < n].min()                               # second descent wins
    assert abs(med_norm[-1] - kernel_norm) < 0.2 * kernel_norm               # norm near its limit
    assert med_err[-1] < 2 * kernel_err


@pytest.mark.equations("kernels-ridge-regression", "kernels-ridgeless", "kernels-feature-rkhs")
def test_kernel_ridge_regression_its_feature_form_and_ridgeless_limit():
    rng = np.random.default_rng(6)
    n, D = 10, 30
    Zf = rng.standard_normal((n, D))
    y = rng.standard_normal(n)
    K = Zf @ Zf.T
    lam = 0.3
    alpha = np.linalg.solve(K + n * lam * np.eye(n), y)
    w_dual = Zf.T @ alpha
    w_primal = np.linalg.solve(Zf.T @ Zf + n * lam * np.eye(D), Zf.T @ y)
    np.testing.assert_allclose(w_dual, w_primal, atol=1e-10)              # push-through identity
    # the KRR coefficients minimise (1/n)|K a - y|^2 + lam a^T K a
    J = lambda a: np.sum((K @ a - y) ** 2) / n + lam * a @ K @ a
    for _ in range(100):
        assert J(alpha) <= J(alpha + 1e-3 * rng.standard_normal(n)) + 1e-12
    # ridgeless limit: norms increase to y^T K^{-1} y and the fit converges to the interpolant
    norms = [y @ K @ np.linalg.solve(K + n * l * np.eye(n), np.linalg.solve(K + n * l * np.eye(n), y))
             for l in (1.0, 0.1, 0.01, 1e-4, 1e-7)]
    assert np.all(np.diff(norms) > 0) and np.isclose(norms[-1], y @ np.linalg.solve(K, y), rtol=1e-4)
    # with a singular Gram matrix the limit is the minimum-norm least-squares fit K^+ y
    Ks = Zf[:, :4] @ Zf[:, :4].T                                          # rank 4 < n
    a_small = np.linalg.solve(Ks + n * 1e-9 * np.eye(n), y)
    np.testing.assert_allclose(Ks @ a_small, Ks @ np.linalg.pinv(Ks) @ y, atol=1e-6)


@pytest.mark.equations("double-descent-gaussian-risk")
def test_risk_of_minimum_norm_least_squares_in_the_gaussian_model():
    """Given the design X, the excess risk |X^+ (X beta + eps) - beta|^2 averages over the noise to
    |(I - X^+ X) beta|^2 + noise^2 tr(X^+ X^+^T); averaging that over Gaussian designs by Monte Carlo
    must reproduce the closed form on both sides of the threshold."""
    rng = np.random.default_rng(7)
    n, noise, reps = 30, 0.5, 8000
    for p in (10, 90):
        beta = np.ones(p) / np.sqrt(p)                                    # |beta| = 1
        X = rng.standard_normal((reps, n, p))
        if p < n:                                                         # X^+ X = I
            gram_inv = np.linalg.inv(X.transpose(0, 2, 1) @ X)
            bias = np.zeros(reps)
        else:                                                             # X^+ X = X^T (X X^T)^{-1} X
            gram_inv = np.linalg.inv(X @ X.transpose(0, 2, 1))
            Xb = X @ beta
            bias = beta @ beta - np.sum(Xb * (gram_inv @ Xb[:, :, None])[:, :, 0], axis=1)
        mc = np.mean(bias + noise**2 * np.trace(gram_inv, axis1=1, axis2=2))
        if p < n:
            exact = noise**2 * p / (n - p - 1)
        else:
            exact = (1 - n / p) + noise**2 * n / (p - n - 1)
        assert abs(mc - exact) < 0.03 * exact, (p, mc, exact)
    # one full simulation with noise, at p = 90, agrees as well
    p = 90
    beta = np.ones(p) / np.sqrt(p)
    X = rng.standard_normal((2000, n, p))
    y = X @ beta + noise * rng.standard_normal((2000, n))
    coef = np.linalg.solve(X @ X.transpose(0, 2, 1), y[:, :, None])
    bhat = (X.transpose(0, 2, 1) @ coef)[:, :, 0]
    mc = np.mean(np.sum((bhat - beta) ** 2, axis=1))
    exact = (1 - n / p) + noise**2 * n / (p - n - 1)
    assert abs(mc - exact) < 0.06 * exact


@pytest.mark.equations("bias-variance-ridge", "bias-variance-projection", "bias-variance-linear-smoother")
def test_ridge_and_projection_bias_variance_through_the_singular_values():
    """The spectral formulas for ridge (and, at lambda = 0 with p <= n, least squares) agree with the
    direct linear-smoother expressions |(S - I) f|^2 / n and sigma^2 tr(S S^T) / n."""
    rng = np.random.default_rng(8)
    n, p, noise = 25, 8, 0.7
    X = rng.standard_normal((n, p))
    f = rng.standard_normal(n)
    U, dvals, _ = np.linalg.svd(X, full_matrices=False)
    for lam in (0.0, 0.5, 3.0):
        S = X @ np.linalg.solve(X.T @ X + lam * np.eye(p), X.T)
        bias_direct = np.sum(((S - np.eye(n)) @ f) ** 2) / n
        var_direct = noise**2 * np.trace(S @ S.T) / n
        uf = U.T @ f
        bias_spec = (np.sum((lam / (dvals**2 + lam)) ** 2 * uf**2) + np.sum((f - U @ uf) ** 2)) / n
        var_spec = noise**2 * np.sum(dvals**4 / (dvals**2 + lam) ** 2) / n
        assert np.isclose(bias_direct, bias_spec) and np.isclose(var_direct, var_spec)
        if lam == 0.0:                                                     # projection of rank p
            assert np.isclose(var_direct, noise**2 * p / n)
            assert np.isclose(np.trace(S), p)

