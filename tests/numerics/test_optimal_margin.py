"""Numerical checks of the optimal margin chapter (Boser, Guyon and Vapnik, 1992)."""
import functools

import numpy as np
import pytest

from conftest import figure_script


# Hard-margin dual, solved more tightly than for the figure: returns a, b and the support mask.
solve_dual = functools.partial(figure_script("optimal-margin_dual.py").solve_dual, tol=1e-10, max_iter=50000)


def separable_data(seed=0, n=30):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([1.3, 1.1, 0.0], 0.6, (n, 3)), rng.normal([-1.1, -0.9, 0.0], 0.6, (n, 3))])
    y = np.r_[np.ones(n), -np.ones(n)]
    return X, y


@pytest.mark.equations(
    "optimal-margin-primal", "optimal-margin-dual", "optimal-margin-kkt", "optimal-margin-stationarity",
    "optimal-margin-margin", "convex-duality-kkt", "convex-duality-complementary-slackness",
)
def test_dual_solution_satisfies_kkt_and_gives_the_margin():
    X, y = separable_data()
    a, b, sv = solve_dual(X @ X.T, y)
    w = (a * y) @ X                                    # stationarity: w = sum_k a_k y_k x_k
    f = y * (X @ w + b)                                # y_k D(x_k)
    assert np.all(a >= 0) and abs(a @ y) < 1e-9        # dual feasibility
    assert f.min() > 1 - 1e-6                          # primal feasibility
    assert np.max(np.abs(a * (f - 1))) < 1e-6          # complementary slackness
    np.testing.assert_allclose(f[sv], 1.0, atol=1e-6)  # supporting patterns lie on the margin
    assert np.all(f[~sv] > 1 - 1e-6)
    # zero duality gap and ||w||^2 = sum(a), so the margin is 1/||w|| = 1/sqrt(sum a)
    primal = 0.5 * w @ w
    dual = a.sum() - 0.5 * (a * y) @ (X @ X.T) @ (a * y)
    assert abs(primal - dual) < 1e-7 * primal
    assert np.isclose(w @ w, a.sum(), rtol=1e-6)
    geometric_margin = np.min(y * (X @ w + b)) / np.linalg.norm(w)
    assert np.isclose(geometric_margin, 1 / np.linalg.norm(w), rtol=1e-6)
    # no other separating direction has a larger margin (random search)
    rng = np.random.default_rng(1)
    for _ in range(2000):
        u = w / np.linalg.norm(w) + 0.3 * rng.standard_normal(3)
        u /= np.linalg.norm(u)
        s = X @ u
        gap = s[y > 0].min() - s[y < 0].max()           # best offset puts the plane mid-gap
        assert gap / 2 <= geometric_margin * (1 + 1e-9)


@pytest.mark.equations("optimal-margin-kernel-expansion", "optimal-margin-bias", "optimal-margin-loo")
def test_decision_function_depends_only_on_supporting_patterns():
    X, y = separable_data(seed=2)
    a, b, sv = solve_dual(X @ X.T, y)
    w = (a * y) @ X
    assert sv.sum() < len(y) // 3
    # retraining on the supporting patterns alone gives the same hyperplane
    a_s, b_s, _ = solve_dual(X[sv] @ X[sv].T, y[sv])
    np.testing.assert_allclose((a_s * y[sv]) @ X[sv], w, rtol=1e-5, atol=1e-7)
    assert np.isclose(b_s, b, atol=1e-5)
    # leave-one-out: removing a non-supporting pattern leaves the classifier unchanged, so
    # leave-one-out errors can only occur at supporting patterns
    loo_errors = 0
    for k in range(len(y)):
        keep = np.arange(len(y)) != k
        a_k, b_k, _ = solve_dual(X[keep] @ X[keep].T, y[keep])
        w_k = (a_k * y[keep]) @ X[keep]
        if not sv[k]:
            np.testing.assert_allclose(w_k, w, rtol=1e-5, atol=1e-7)
        loo_errors += y[k] * (X[k] @ w_k + b_k) <= 0
    assert loo_errors <= sv.sum()


@pytest.mark.equations("optimal-margin-kernels", "kernels-mercer", "kernels-pd", "kernels-poly-features")
def test_mercer_kernels_give_psd_gram_matrices_and_sigmoid_need_not():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 4))
    lin = X @ X.T
    sq = np.sum(X**2, 1)
    for K in ((lin + 1) ** 2, (lin + 1) ** 5, np.exp(-0.5 * (sq[:, None] + sq[None, :] - 2 * lin))):
        assert np.linalg.eigvalsh(K).min() > -1e-8 * np.abs(K).max()
    # the explicit degree-2 feature map on the plane reproduces the kernel
    Z = X[:, :2]
    phi = np.c_[Z[:, 0] ** 2, Z[:, 1] ** 2, np.sqrt(2) * Z[:, 0] * Z[:, 1], np.sqrt(2) * Z, np.ones(len(Z))]
    np.testing.assert_allclose(phi @ phi.T, (Z @ Z.T + 1) ** 2, rtol=1e-12, atol=1e-12)
    # a symmetric function that is not a kernel: tanh(x.x' - 1) has a negative eigenvalue
    assert np.linalg.eigvalsh(np.tanh(lin - 1.0)).min() < -1e-3


@pytest.mark.equations("optimal-margin-kernel-expansion", "optimal-margin-decision", "kernels-representer")
def test_kernel_expansion_equals_hyperplane_in_feature_space():
    rng = np.random.default_rng(4)
    Z = rng.uniform(-2, 2, (80, 2))
    r = np.linalg.norm(Z, axis=1)
    Z, r = Z[np.abs(r - 1.2) > 0.25], r[np.abs(r - 1.2) > 0.25]
    y = np.where(r < 1.2, 1.0, -1.0)
    K = (Z @ Z.T + 1) ** 2                              # separable in the degree-2 feature space
    a, b, sv = solve_dual(K, y)
    phi = np.c_[Z[:, 0] ** 2, Z[:, 1] ** 2, np.sqrt(2) * Z[:, 0] * Z[:, 1], np.sqrt(2) * Z, np.ones(len(Z))]
    w = (a * y) @ phi                                  # hyperplane in feature space
    T = rng.uniform(-2, 2, (200, 2))
    phi_T = np.c_[T[:, 0] ** 2, T[:, 1] ** 2, np.sqrt(2) * T[:, 0] * T[:, 1], np.sqrt(2) * T, np.ones(len(T))]
    D_kernel = ((T @ Z[sv].T + 1) ** 2) @ (a * y)[sv] + b
    np.testing.assert_allclose(D_kernel, phi_T @ w + b, rtol=1e-9, atol=1e-9)
    assert np.all(y * (phi @ w + b) > 1 - 1e-6)         # training set separated with margin one


@pytest.mark.equations("optimal-margin-kkt", "optimal-margin-dual", "optimal-margin-margin")
def test_margin_points_need_not_be_supporting_patterns():
    # three collinear class +1 points on the margin y = 1 and one class -1 point at (1, -1):
    # w = (0, 1), b = 0, and two different dual solutions give the same (w, b)
    X = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [1.0, -1.0]])
    y = np.array([1.0, 1.0, 1.0, -1.0])
    K = X @ X.T
    H = (y[:, None] * y[None, :]) * K
    J = lambda a: a.sum() - 0.5 * a @ H @ a
    w_star, b_star = np.array([0.0, 1.0]), 0.0
    f = y * (X @ w_star + b_star)
    np.testing.assert_allclose(f, 1.0)                 # every point lies on the margin
    solutions = (np.array([0.25, 0.0, 0.25, 0.5]), np.array([0.0, 0.5, 0.0, 0.5]))
    for a in solutions:
        assert np.all(a >= 0) and abs(a @ y) < 1e-12
        np.testing.assert_allclose((a * y) @ X, w_star, atol=1e-12)   # stationarity
        np.testing.assert_allclose(a * (f - 1), 0.0, atol=1e-12)      # complementary slackness
        assert np.isclose(J(a), 0.5 * w_star @ w_star)                # dual value = primal value
        assert np.isclose(a.sum(), w_star @ w_star)
    # the middle point is on the margin but carries zero weight in the first solution,
    # while the outer points carry zero weight in the second
    assert solutions[0][1] == 0.0 and f[1] == 1.0
    assert solutions[1][0] == 0.0 and f[0] == 1.0
