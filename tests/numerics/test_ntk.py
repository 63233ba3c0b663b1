"""Numerical checks of the neural tangent kernel chapter and of the linearised-training topic page."""

import numpy as np
import pytest

from conftest import figure_script


fig = figure_script("ntk_convergence.py")


def sphere_points(rng, n, dim):
    x = rng.standard_normal((n, dim))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def jacobian(params, X, beta, act, eps=1e-6):
    """d f(x_i) / d theta_p by central differences, one column per parameter."""
    cols = []
    for ell in range(len(params)):
        for which in range(2):
            for idx in np.ndindex(params[ell][which].shape):
                out = []
                for sign in (1.0, -1.0):
                    moved = [(W.copy(), b.copy()) for W, b in params]
                    moved[ell][which][idx] += sign * eps
                    out.append(fig.forward(moved, X, beta, act)[1][-1][:, 0])
                cols.append((out[0] - out[1]) / (2 * eps))
    return np.array(cols).T


@pytest.mark.equations("ntk-network", "ntk-def", "ntk-function-dynamics", "ntk-one-layer-ntk")
def test_ntk_is_the_gram_matrix_of_parameter_gradients():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 3))
    for act in ("relu", "tanh"):
        for widths in ([3, 6, 1], [3, 7, 4, 1]):
            params = fig.init_params(widths, rng)
            J = jacobian(params, X, 0.3, act)
            assert J.shape[1] == sum((n + 1) * m for n, m in zip(widths[:-1], widths[1:]))  # P of Sec. 2
            np.testing.assert_allclose(fig.empirical_ntk(params, X, X, 0.3, act), J @ J.T, atol=1e-8)
            # Gradient flow moves the outputs by -(1/N) Theta r: the function-space form of the dynamics.
            r = rng.standard_normal(len(X))
            grads = fig.gradients(params, X, lambda out: r, 0.3, act)
            flat = np.concatenate([np.concatenate([gW.ravel(), gb.ravel()]) for gW, gb in grads])
            np.testing.assert_allclose(J @ flat, fig.empirical_ntk(params, X, X, 0.3, act) @ r / len(X), atol=1e-8)
    # One hidden layer: the explicit average over neurons of Eq. ntk-one-layer-ntk.
    params = fig.init_params([3, 9, 1], rng)
    (w, c), (a, _) = params
    beta, h = 0.3, X @ w.T / np.sqrt(3) + 0.3 * c
    s, ds = np.tanh(h), 1.0 - np.tanh(h) ** 2
    explicit = (s @ s.T + (ds * a[0] ** 2) @ ds.T * (X @ X.T / 3 + beta**2)) / 9 + beta**2
    np.testing.assert_allclose(fig.empirical_ntk(params, X, X, beta, "tanh"), explicit, atol=1e-12)


@pytest.mark.equations("linearised-training-relu-expectations", "linearised-training-nngp-one-layer")
def test_relu_gaussian_expectations_by_monte_carlo():
    rng = np.random.default_rng(1)
    for a, b, c in ((1.0, 1.0, 0.3), (0.51, 2.0, -0.7), (2.0, 0.5, 0.99)):
        cov = np.array([[a, c], [c, b]])
        u, v = (rng.standard_normal((1_000_000, 2)) @ np.linalg.cholesky(cov).T).T
        value, slope = fig.relu_expectations(a, b, c)
        np.testing.assert_allclose(np.mean(np.maximum(u, 0) * np.maximum(v, 0)), value, rtol=5e-3, atol=2e-3)
        np.testing.assert_allclose(np.mean((u > 0) & (v > 0)), slope, atol=2e-3)


@pytest.mark.equations(
    "ntk-nngp-recursion", "ntk-limit-recursion", "ntk-relu-limit", "linearised-training-nngp-recursion",
)
def test_wide_networks_match_the_limiting_recursions():
    rng = np.random.default_rng(2)
    beta = 0.1
    X = np.vstack([fig.circle(np.array([0.0, 1.0, 2.5])), [[0.6, -1.2]]])  # three points on the circle, one off it
    sigma2, theta2 = fig.limit_kernels(X, X, 2, beta, "relu")
    # Theorem 1, L = 2: the empirical NTK of a wide network approaches the recursion; the error shrinks with width.
    errors = {}
    for width in (100, 20000):
        draws = [fig.empirical_ntk(fig.init_params([2, width, 1], rng), X, X, beta, "relu") for _ in range(4)]
        errors[width] = np.mean([np.abs(d - theta2).max() for d in draws])
    assert errors[20000] < 0.02 * np.abs(theta2).max()
    assert errors[20000] < errors[100] / 4
    # L = 3 (two hidden layers of width 1500): averaged over four draws, within the O(1/sqrt(n))
    # fluctuations, which are a few per cent here.
    _, theta3 = fig.limit_kernels(X, X, 3, beta, "relu")
    mean3 = np.mean([fig.empirical_ntk(fig.init_params([2, 1500, 1500, 1], rng), X, X, beta, "relu") for _ in range(4)], axis=0)
    assert np.abs(mean3 - theta3).max() < 0.1 * np.abs(theta3).max()
    # Proposition 1, L = 2: the output covariance over random initialisations is Sigma^(2) (for one
    # hidden layer it is so at every width, since the first-layer pre-activations are exactly Gaussian).
    S, n = 20000, 50
    W0, b0 = rng.standard_normal((S, n, 2)), rng.standard_normal((S, n))
    W1, b1 = rng.standard_normal((S, n)), rng.standard_normal(S)
    h = np.einsum("snd,xd->sxn", W0, X) / np.sqrt(2) + beta * b0[:, None, :]
    out = np.einsum("sn,sxn->sx", W1, np.maximum(h, 0)) / np.sqrt(n) + beta * b1[:, None]
    np.testing.assert_allclose(out.T @ out / S, sigma2, atol=0.02)
    # The recursion itself at L = 2: Theta = Sigma^(1) Sigma-dot^(2) + Sigma^(2), with the arc-cosine formulas.
    s1 = X @ X.T / 2 + beta**2
    value, slope = fig.relu_expectations(np.diag(s1)[:, None], np.diag(s1)[None, :], s1)
    np.testing.assert_allclose(theta2, s1 * slope + value + beta**2, rtol=1e-12)


@pytest.mark.equations(
    "ntk-kernel-gradient", "ntk-cost-decay", "ntk-least-squares", "ntk-ls-solution", "ntk-ls-modes",
    "ntk-f-infinity", "linearised-training-ls-ode", "linearised-training-ls-solution",
    "linearised-training-prediction",
)
def test_least_squares_kernel_gradient_descent_has_the_closed_form_solution():
    rng = np.random.default_rng(3)
    N, M, beta = 10, 5, 0.1
    X, Z = sphere_points(rng, N, 3), sphere_points(rng, M, 3)
    A = np.vstack([X, Z])
    _, K = fig.limit_kernels(A, A, 3, beta, "relu")  # limiting NTK on training and test points
    Kxx, Kzx = K[:N, :N], K[N:, :N]
    y_star = np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2]
    f0 = rng.standard_normal(N + M)  # any starting function, known on the data and on the test points

    def rhs(f):  # kernel gradient descent on C(f) = (1/2N) sum (f(x_i) - y_i)^2, Eq. ntk-kernel-gradient
        return K[:, :N] @ (y_star - f[:N]) / N

    def cost(f):
        return 0.5 * np.mean((f[:N] - y_star) ** 2)

    # Integrate with RK4 and compare with the eigen-decomposition of Pi (eigenvalues of K_XX / N).
    t_end, steps = 40.0, 4000
    dt, f, costs = t_end / steps, f0.copy(), []
    for _ in range(steps):
        d = y_star - f[:N]
        costs.append((cost(f), -d @ Kxx @ d / N**2))  # dC/dt = -||d||_K^2, Eq. ntk-cost-decay
        k1 = rhs(f); k2 = rhs(f + dt / 2 * k1); k3 = rhs(f + dt / 2 * k2); k4 = rhs(f + dt * k3)
        f = f + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    lam, U = np.linalg.eigh(Kxx / N)
    assert lam.min() > 0
    on_data = y_star + U @ (np.exp(-t_end * lam) * (U.T @ (f0[:N] - y_star)))
    np.testing.assert_allclose(f[:N], on_data, atol=1e-8)
    off_data = f0[N:] + Kzx @ np.linalg.solve(Kxx, (U * (1 - np.exp(-t_end * lam))) @ U.T @ (y_star - f0[:N]))
    np.testing.assert_allclose(f[N:], off_data, atol=1e-8)
    c = np.array(costs)
    np.testing.assert_allclose(np.gradient(c[:, 0], dt)[5:-5], c[5:-5, 1], rtol=1e-3, atol=1e-9)
    # Each mode of the residual decays at its own rate exp(-lambda_i t).
    modes = U.T @ (f[:N] - y_star)
    np.testing.assert_allclose(modes, np.exp(-t_end * lam) * (U.T @ (f0[:N] - y_star)), atol=1e-8)
    # Eq. ntk-ls-modes on all points, with the goal f* extended off the data: decompose f_0 - f* into
    # the eigenfunctions f^(i)(z) = K(z, X) u_i / (N lambda_i) of Pi (equal to u_i on the data) and a
    # part Delta^0 that vanishes on the data; then f_t = f* + Delta^0 + sum_i exp(-t lambda_i) Delta^i.
    f_star = np.concatenate([y_star, np.sin(3 * Z[:, 0]) + Z[:, 1] * Z[:, 2]])
    eigf = K[:, :N] @ U / (N * lam)
    np.testing.assert_allclose(eigf[:N], U, atol=1e-8)
    np.testing.assert_allclose(K[:, :N] @ eigf[:N] / N, eigf * lam, atol=1e-10)  # Pi f^(i) = lambda_i f^(i)

    def trajectory(error):
        coef = U.T @ error[:N]
        delta0 = error - eigf @ coef
        assert np.abs(delta0[:N]).max() < 1e-10
        return f_star + delta0 + eigf @ (np.exp(-t_end * lam) * coef)

    np.testing.assert_allclose(f, trajectory(f0 - f_star), atol=1e-8)
    # The same formula with the decomposition of f* - f_0, as the paper writes it, is off by a sign.
    assert np.abs(f - trajectory(f_star - f0)).max() > 0.1
    # t -> infinity: interpolation on the data and the closed form of f_infinity off the data.
    f_inf = Kzx @ np.linalg.solve(Kxx, y_star) + (f0[N:] - Kzx @ np.linalg.solve(Kxx, f0[:N]))
    T = 1e7
    late = f0[N:] + Kzx @ np.linalg.solve(Kxx, (U * (1 - np.exp(-T * lam))) @ U.T @ (y_star - f0[:N]))
    np.testing.assert_allclose(late, f_inf, atol=1e-8)
    assert np.abs(f[N:] - f_inf).max() > 1e-3  # at t = 40 the slowest modes have not converged yet


@pytest.mark.equations(
    "ntk-random-features", "ntk-def", "linearised-training-function-space", "linearised-training-linearisation",
    "linearised-training-min-norm-displacement",
)
def test_gradient_flow_of_a_linear_model_is_kernel_gradient_descent_with_its_tangent_kernel():
    rng = np.random.default_rng(4)
    N, M, P = 8, 4, 400
    X, Z = rng.standard_normal((N, 2)), rng.standard_normal((M, 2))
    A = np.vstack([X, Z])
    omega, phase = rng.standard_normal((P, 2)), rng.uniform(0, 2 * np.pi, P)
    feats = np.sqrt(2) * np.cos(A @ omega.T + phase)  # f^(p)(x); E f^(p)(x) f^(p)(x') = exp(-|x - x'|^2 / 2)
    J = feats / np.sqrt(P)  # d F^lin / d theta_p = f^(p) / sqrt(P)
    K_tilde = J @ J.T
    y = np.tanh(X[:, 0] - X[:, 1])
    theta0 = rng.standard_normal(P)

    def grad(theta):
        return J[:N].T @ (J[:N] @ theta - y) / N

    # Parameter-space gradient flow (RK4) and function-space kernel gradient descent with K_tilde.
    dt, steps = 0.01, 2000
    theta, f = theta0.copy(), J @ theta0
    for _ in range(steps):
        k1 = -grad(theta); k2 = -grad(theta + dt / 2 * k1); k3 = -grad(theta + dt / 2 * k2); k4 = -grad(theta + dt * k3)
        theta = theta + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        g = lambda ff: K_tilde[:, :N] @ (y - ff[:N]) / N  # noqa: E731
        l1 = g(f); l2 = g(f + dt / 2 * l1); l3 = g(f + dt / 2 * l2); l4 = g(f + dt * l3)
        f = f + dt / 6 * (l1 + 2 * l2 + 2 * l3 + l4)
    np.testing.assert_allclose(J @ theta, f, atol=1e-9)
    # The displacement theta(t) - theta(0) stays in the row space of the Jacobian on the data and, as
    # t grows, approaches the minimum-norm displacement that interpolates.
    move = theta - theta0
    Jx = J[:N]
    np.testing.assert_allclose(Jx.T @ np.linalg.lstsq(Jx.T, move, rcond=None)[0], move, atol=1e-9)
    min_norm = Jx.T @ np.linalg.solve(Jx @ Jx.T, y - Jx @ theta0)
    lam, U = np.linalg.eigh(Jx @ Jx.T / N)
    at_t = Jx.T @ np.linalg.solve(Jx @ Jx.T, (U * (1 - np.exp(-dt * steps * lam))) @ U.T @ (y - Jx @ theta0))
    np.testing.assert_allclose(move, at_t, atol=1e-8)
    assert np.linalg.norm(min_norm) < np.linalg.norm(min_norm + np.linalg.svd(Jx)[2][-1])  # shortest
    # Law of large numbers: the tangent kernel approaches the covariance kernel K as P grows.
    K = np.exp(-0.5 * np.sum((A[:, None] - A[None]) ** 2, axis=-1))
    errs = []
    for p in (100, 40000):
        om, ph = rng.standard_normal((p, 2)), rng.uniform(0, 2 * np.pi, p)
        F = np.sqrt(2) * np.cos(A @ om.T + ph)
        errs.append(np.abs(F @ F.T / p - K).max())
    assert errs[1] < 0.03 and errs[1] < errs[0] / 5


@pytest.mark.equations("ntk-network", "ntk-lr-equivalence")
def test_ntk_parameterisation_is_classical_training_with_rescaled_learning_rates():
    rng = np.random.default_rng(5)
    beta, lr, widths = 0.1, 1.0, [2, 100, 1]
    X = fig.circle(rng.uniform(0, 2 * np.pi, 6))
    y = X[:, 0] * X[:, 1]
    params = fig.init_params(widths, rng)
    # Classical parameters V = W / sqrt(n_l), c = beta b: the same function.
    classical = [(W / np.sqrt(W.shape[1]), beta * b) for W, b in params]

    def classical_out(cp, X):
        h = X @ cp[0][0].T + cp[0][1]
        return (np.tanh(h) @ cp[1][0].T + cp[1][1])[:, 0], h

    np.testing.assert_allclose(classical_out(classical, X)[0], fig.forward(params, X, beta, "tanh")[1][-1][:, 0])
    for _ in range(50):
        params = fig.train(params, X, y, beta, "tanh", lr, 1)
        out, h = classical_out(classical, X)
        r = (out - y) / len(X)
        g1 = r[:, None] * np.tanh(h)                                   # d C / d V^(1), per input
        back = r[:, None] * classical[1][0][0] * (1 - np.tanh(h) ** 2)  # d C / d h
        steps = [(back.T @ X, back.sum(0)), (g1.sum(0)[None, :], np.array([r.sum()]))]
        # learning rate lr / n_l on the weights, lr beta^2 on the biases
        classical = [(V - lr / n * gV, c - lr * beta**2 * gc) for (V, c), (gV, gc), n in zip(classical, steps, widths[:-1])]
    np.testing.assert_allclose(classical_out(classical, X)[0], fig.forward(params, X, beta, "tanh")[1][-1][:, 0], atol=1e-12)
    for (W, b), (V, c) in zip(params, classical):
        np.testing.assert_allclose(W / np.sqrt(W.shape[1]), V, atol=1e-12)
        np.testing.assert_allclose(beta * b, c, atol=1e-12)


@pytest.mark.equations("ntk-training-direction", "ntk-neuron-displacement", "ntk-kernel-movement")
def test_ntk_and_neurons_move_less_in_wider_networks():
    rng_x = np.random.default_rng(6)
    X = fig.circle(rng_x.uniform(0, 2 * np.pi, 8))
    y = X[:, 0] * X[:, 1]
    beta, moves, displacement = 0.1, {}, {}
    for width in (50, 3200):
        m, d = [], []
        for seed in range(4):
            params = fig.init_params([2, width, 1], np.random.default_rng(seed))
            trained = fig.train(params, X, y, beta, "tanh", 1.0, 200)
            before = fig.empirical_ntk(params, X, X, beta, "tanh")
            after = fig.empirical_ntk(trained, X, X, beta, "tanh")
            m.append(np.linalg.norm(after - before) / np.linalg.norm(before))
            neuron = np.hstack([params[0][0], params[0][1][:, None], params[1][0].T])
            moved = np.hstack([trained[0][0], trained[0][1][:, None], trained[1][0].T])
            d.append(np.linalg.norm(moved - neuron, axis=1).max())
        moves[width], displacement[width] = np.mean(m), np.mean(d)
    # A 64-fold wider network: the bound of the one-hidden-layer proof predicts at least a factor 8.
    assert moves[3200] < moves[50] / 8
    assert displacement[3200] < displacement[50] / 4
    # The fit itself does not degrade: the wide network's training residual follows the kernel prediction.
    params = fig.init_params([2, 3200, 1], np.random.default_rng(0))
    K0 = fig.empirical_ntk(params, X, X, beta, "tanh")
    out0 = fig.forward(params, X, beta, "tanh")[1][-1][:, 0]
    res = out0 - y
    for _ in range(200):
        res = res - K0 @ res / len(X)  # discrete kernel gradient descent with the initial NTK, lr 1
    out = fig.forward(fig.train(params, X, y, beta, "tanh", 1.0, 200), X, beta, "tanh")[1][-1][:, 0]
    np.testing.assert_allclose(out - y, res, atol=2e-3)


@pytest.mark.equations("ntk-pd-dominance", "ntk-sigma-series", "ntk-limit-recursion")
def test_limiting_ntk_is_positive_definite_on_the_sphere_for_a_non_polynomial_activation():
    rng = np.random.default_rng(7)
    beta = 0.1
    for dim in (2, 3):
        X = sphere_points(rng, 30, dim)
        for depth in (2, 3):
            sigma, theta = fig.limit_kernels(X, X, depth, beta, "relu")
            assert np.linalg.eigvalsh(theta).min() > 1e-6
            assert np.linalg.eigvalsh(theta - sigma).min() > -1e-10  # Theta^(L) dominates Sigma^(L)
        # L = 1 (no hidden layer): Theta = x.x'/n0 + beta^2 has rank n0 + 1 and 30 points exceed it.
        _, theta1 = fig.limit_kernels(X, X, 1, beta, "relu")
        assert np.linalg.matrix_rank(theta1, tol=1e-9) == dim + 1
        # A polynomial non-linearity (the identity): rank stays at n0 + 1 at every depth.
        _, theta_id = fig.limit_kernels(X, X, 3, beta, "identity")
        assert np.linalg.matrix_rank(theta_id, tol=1e-9) == dim + 1
    # n0 = 1: the sphere is {-1, 1}, and there even Theta^(1) = x x' + beta^2 is positive definite,
    # with determinant 4 beta^2; the deeper kernels are too.
    S0 = np.array([[1.0], [-1.0]])
    _, theta1 = fig.limit_kernels(S0, S0, 1, beta, "relu")
    np.testing.assert_allclose(np.linalg.det(theta1), 4 * beta**2, rtol=1e-12)
    for depth in (2, 3):
        assert np.linalg.eigvalsh(fig.limit_kernels(S0, S0, depth, beta, "relu")[1]).min() > 0
    # Sigma^(2) on the sphere is a power series in rho = x.x' (Eq. ntk-sigma-series). Its Taylor
    # coefficients, computed by a Cauchy integral of the ReLU arc-cosine formula on |rho| = 0.9, are all
    # positive when beta > 0; with beta = 0 the odd ones beyond the first vanish.
    n0, K = 3, 256
    rho = 0.9 * np.exp(2j * np.pi * np.arange(K) / K)

    def series(b):
        s1 = 1 / n0 + b**2
        c = (rho / n0 + b**2) / s1
        value = s1 * (np.sqrt(1 - c**2) + (np.pi - np.arccos(c)) * c) / (2 * np.pi) + b**2
        return (np.fft.fft(value) / K).real / 0.9 ** np.arange(K)

    with_bias, without = series(beta), series(0.0)
    assert np.all(with_bias[:24] > 0)
    np.testing.assert_allclose(without[3:24:2], 0.0, atol=1e-12)
    assert np.all(without[0:24:2] > 0) and without[1] > 0
