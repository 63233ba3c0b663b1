"""Numerical checks of the topic page source/topics/state-space-models.md.

Zero-order hold against a fine numerical integration of the ODE, the bilinear rule against ZOH,
the recurrence against its convolution kernel, and the associative scan (operator, associativity,
Blelloch up-sweep/down-sweep) against the sequential recurrence.
"""

import numpy as np
import pytest


def expm(M):
    """Matrix exponential by scaling and squaring with a degree-20 Taylor polynomial."""
    norm = np.linalg.norm(M, 1)
    s = max(0, int(np.ceil(np.log2(norm))) + 1) if norm > 0 else 0
    X = M / (2.0**s)
    E, term = np.eye(len(M)), np.eye(len(M))
    for k in range(1, 21):
        term = term @ X / k
        E = E + term
    for _ in range(s):
        E = E @ E
    return E


def stable_matrix(rng, n):
    """A random non-symmetric matrix with eigenvalues in the open left half-plane."""
    M = rng.standard_normal((n, n))
    shift = np.max(np.linalg.eigvals(M).real) + 0.5
    return M - shift * np.eye(n)


def zoh(A, B, delta):
    n = len(A)
    Abar = expm(delta * A)
    Bbar = np.linalg.solve(delta * A, (Abar - np.eye(n)) @ (delta * B))
    return Abar, Bbar


def rk4_step(A, B, x, u, dt):
    f = lambda y: A @ y + B * u  # noqa: E731
    k1 = f(x)
    k2 = f(x + dt / 2 * k1)
    k3 = f(x + dt / 2 * k2)
    k4 = f(x + dt * k3)
    return x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


@pytest.mark.equations("state-space-models-zoh", "state-space-models-voc", "state-space-models-zoh-derivation")
def test_zoh_is_exact_for_piecewise_constant_input():
    rng = np.random.default_rng(0)
    N, L, delta = 4, 12, 0.37
    A = stable_matrix(rng, N)
    B = rng.standard_normal(N)
    u = rng.standard_normal(L)
    Abar, Bbar = zoh(A, B, delta)
    x_zoh, x_ode = np.zeros(N), np.zeros(N)
    sub = 400
    for k in range(L):
        x_zoh = Abar @ x_zoh + Bbar * u[k]
        for _ in range(sub):
            x_ode = rk4_step(A, B, x_ode, u[k], delta / sub)
    assert np.allclose(x_zoh, x_ode, rtol=1e-9, atol=1e-11)
    # a wrong rule (forward Euler) is visibly off, so the comparison has power
    x_eul = np.zeros(N)
    for k in range(L):
        x_eul = (np.eye(N) + delta * A) @ x_eul + delta * B * u[k]
    assert np.max(np.abs(x_eul - x_ode)) > 1e-3


@pytest.mark.equations("state-space-models-zoh-diagonal", "state-space-models-bilinear", "state-space-models-zoh")
def test_diagonal_zoh_and_bilinear_agree_to_second_order():
    rng = np.random.default_rng(1)
    a = -rng.uniform(0.5, 3.0, size=5)
    b = rng.standard_normal(5)
    A, B = np.diag(a), b
    for delta in (0.2, 0.1, 0.05):
        Abar, Bbar = zoh(A, B, delta)
        assert np.allclose(np.diag(Abar), np.exp(delta * a), rtol=1e-12)
        assert np.allclose(Bbar, (np.exp(delta * a) - 1) / a * b, rtol=1e-10)
    # bilinear: local error in A_bar is O(delta^3), so halving delta divides it by about 8
    errs = []
    for delta in (0.01, 0.005, 0.0025):
        Ab = np.linalg.solve(np.eye(5) - delta / 2 * A, np.eye(5) + delta / 2 * A)
        errs.append(np.max(np.abs(Ab - expm(delta * A))))
    ratios = [errs[i] / errs[i + 1] for i in range(2)]
    assert all(7.5 < r < 8.5 for r in ratios)


@pytest.mark.equations("state-space-models-recurrence", "state-space-models-kernel")
def test_recurrence_equals_convolution_with_kernel():
    rng = np.random.default_rng(2)
    N, L = 3, 30
    Abar = 0.9 * stable_matrix(rng, N) / 10 + 0.5 * np.eye(N)
    Bbar = rng.standard_normal(N)
    C = rng.standard_normal(N)
    u = rng.standard_normal(L)
    x, y_rec = np.zeros(N), []
    for k in range(L):
        x = Abar @ x + Bbar * u[k]
        y_rec.append(C @ x)
    K, P = [], np.eye(N)
    for j in range(L):
        K.append(C @ P @ Bbar)
        P = Abar @ P
    y_conv = np.convolve(u, np.array(K))[:L]
    assert np.allclose(y_rec, y_conv, atol=1e-12)


def op(e1, e2):
    (a1, b1), (a2, b2) = e1, e2
    return (a2 * a1, a2 * b1 + b2)


def op_matrix(e1, e2):
    """The scan operator for square matrices a and vectors b: (a2 a1, a2 b1 + b2)."""
    (a1, b1), (a2, b2) = e1, e2
    return (a2 @ a1, a2 @ b1 + b2)


def blelloch_inclusive(a, b):
    """Work-efficient up-sweep/down-sweep scan over pairs (a_t, b_t) with the operator `op`."""
    L = len(a)
    m = int(np.ceil(np.log2(L)))
    size = 2**m
    A = np.concatenate([a, np.ones(size - L)])
    Bv = np.concatenate([b, np.zeros(size - L)])
    ops = 0
    for d in range(m):
        step = 2 ** (d + 1)
        for i in range(0, size, step):
            l, r = i + 2**d - 1, i + step - 1
            A[r], Bv[r] = op((A[l], Bv[l]), (A[r], Bv[r]))
            ops += 1
    A[size - 1], Bv[size - 1] = 1.0, 0.0
    for d in reversed(range(m)):
        step = 2 ** (d + 1)
        for i in range(0, size, step):
            l, r = i + 2**d - 1, i + step - 1
            tl = (A[l], Bv[l])
            A[l], Bv[l] = A[r], Bv[r]
            A[r], Bv[r] = op((A[r], Bv[r]), tl)
            ops += 1
    excl = list(zip(A[:L], Bv[:L]))
    incl = [op(excl[t], (a[t], b[t])) for t in range(L)]
    return np.array([p for p, _ in incl]), np.array([h for _, h in incl]), ops


@pytest.mark.equations("state-space-models-scan", "state-space-models-assoc-proof", "state-space-models-ltv")
def test_scan_operator_is_associative_and_blelloch_matches_recurrence():
    rng = np.random.default_rng(3)
    e = [(rng.uniform(0, 1), rng.standard_normal()) for _ in range(3)]
    left = op(op(e[0], e[1]), e[2])
    right = op(e[0], op(e[1], e[2]))
    assert np.allclose(left, right)
    L = 37
    a = rng.uniform(0.2, 1.0, L)
    b = rng.standard_normal(L)
    h, hs = 0.0, []
    for t in range(L):
        h = a[t] * h + b[t]
        hs.append(h)
    prods, h_scan, ops = blelloch_inclusive(a, b)
    assert np.allclose(h_scan, hs, atol=1e-12)
    assert np.allclose(prods, np.cumprod(a))
    # closed form of the unrolled solution
    h_closed = [sum(np.prod(a[s + 1 : t + 1]) * b[s] for s in range(t + 1)) for t in range(L)]
    assert np.allclose(h_closed, hs, atol=1e-12)
    # work-efficient: 2(size - 1) combinations for the two sweeps
    assert ops == 2 * (64 - 1)


@pytest.mark.equations("state-space-models-scan", "state-space-models-assoc-proof", "state-space-models-ltv")
def test_scan_operator_is_associative_for_non_commuting_matrices():
    rng = np.random.default_rng(4)
    N = 4
    e = [(rng.standard_normal((N, N)), rng.standard_normal(N)) for _ in range(3)]
    (a1, b1), (a2, b2), (a3, b3) = e
    assert not np.allclose(a2 @ a3, a3 @ a2)  # the matrices do not commute
    left = op_matrix(op_matrix(e[0], e[1]), e[2])
    right = op_matrix(e[0], op_matrix(e[1], e[2]))
    expected = (a3 @ a2 @ a1, a3 @ a2 @ b1 + a3 @ b2 + b3)
    for x, y, z in zip(left, right, expected):
        assert np.allclose(x, z) and np.allclose(y, z)
    # the order matters: the commuted form a2 a3 b1 of a scalar-style expansion is wrong for matrices
    assert not np.allclose(right[1], a2 @ a3 @ b1 + a3 @ b2 + b3)
    # identity element (I, 0) on both sides
    ident = (np.eye(N), np.zeros(N))
    for x, y in zip(op_matrix(ident, e[0]), e[0]):
        assert np.allclose(x, y)
    for x, y in zip(op_matrix(e[0], ident), e[0]):
        assert np.allclose(x, y)
    # prefixes, combined in a balanced tree, reproduce the recurrence h_t = a_t h_{t-1} + b_t
    L = 8
    seq = [(0.5 * rng.standard_normal((N, N)), rng.standard_normal(N)) for _ in range(L)]
    h = np.zeros(N)
    for a, b in seq:
        h = a @ h + b
    level = seq
    while len(level) > 1:
        level = [op_matrix(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    prod, h_tree = level[0]
    assert np.allclose(h_tree, h)
    P = np.eye(N)
    for a, _ in seq:
        P = a @ P
    assert np.allclose(prod, P)


@pytest.mark.equations("state-space-models-bilinear")
def test_bilinear_rule_averages_the_state_but_takes_the_input_at_the_right_end():
    rng = np.random.default_rng(5)
    N, L, delta = 3, 10, 0.3
    A = stable_matrix(rng, N)
    B = rng.standard_normal(N)
    u = rng.standard_normal(L)
    M = np.eye(N) - delta / 2 * A
    Abar = np.linalg.solve(M, np.eye(N) + delta / 2 * A)
    Bbar = np.linalg.solve(M, delta * B)
    x_prev, u_prev = np.zeros(N), 0.0
    for k in range(L):
        x = Abar @ x_prev + Bbar * u[k]
        # the recurrence solves the trapezoid in the state with the input u_k only
        assert np.allclose(x - x_prev, delta / 2 * A @ (x + x_prev) + delta * B * u[k])
        # a trapezoid in the input as well would be a different recurrence
        x_trap = np.linalg.solve(M, (np.eye(N) + delta / 2 * A) @ x_prev + delta / 2 * B * (u_prev + u[k]))
        if k > 0:
            assert not np.allclose(x, x_trap)
        x_prev, u_prev = x, u[k]


@pytest.mark.equations("state-space-models-bilinear", "state-space-models-zoh-diagonal")
def test_bilinear_input_matrix_agrees_with_zoh_to_second_order_and_zoh_at_zero_eigenvalue():
    a, b = -1.7, 0.9
    errs = []
    for delta in (0.02, 0.01, 0.005):
        b_zoh = (np.exp(delta * a) - 1) / a * b
        b_bil = delta * b / (1 - delta * a / 2)
        errs.append(abs(b_bil - b_zoh))
        # both agree with Delta b (1 + Delta a / 2) up to O(Delta^3)
        assert abs(b_zoh - delta * b * (1 + delta * a / 2)) < delta**3 * a * a * abs(b)
    ratios = [errs[i] / errs[i + 1] for i in range(2)]
    assert all(7.5 < r < 8.5 for r in ratios)  # error Delta^3 a^2 b / 12: third order
    # a zero eigenvalue: the series sum_j Delta^{j+1} a^j / (j+1)! is Delta, the limit of the fraction
    delta = 0.3
    series = sum(delta ** (j + 1) * 0.0**j / np.prod(np.arange(1, j + 2)) for j in range(10))
    assert np.isclose(series, delta)
    assert np.isclose((np.exp(delta * 1e-8) - 1) / 1e-8, delta)
    A = np.diag([0.0, -1.0])
    integral = sum(np.linalg.matrix_power(delta * A, j) * delta / np.prod(np.arange(1, j + 2)) for j in range(25))
    assert np.allclose(np.diag(integral), [delta, (1 - np.exp(-delta))])


@pytest.mark.equations("state-space-models-voc")
def test_variation_of_constants_for_a_smooth_input():
    rng = np.random.default_rng(6)
    N, T = 3, 2.0
    A = stable_matrix(rng, N)
    B = rng.standard_normal(N)
    x0 = rng.standard_normal(N)
    u = np.sin
    # right side of the formula by the composite Simpson rule
    s = np.linspace(0.0, T, 2001)
    vals = np.array([expm((T - si) * A) @ B * u(si) for si in s])
    w = np.ones(len(s))
    w[1:-1:2], w[2:-1:2] = 4, 2
    x_formula = expm(T * A) @ x0 + (s[1] - s[0]) / 3 * (w[:, None] * vals).sum(axis=0)
    # the ODE by RK4 with the time-varying input
    x, t, dt = x0.copy(), 0.0, T / 4000
    f = lambda tt, y: A @ y + B * u(tt)  # noqa: E731
    for _ in range(4000):
        k1 = f(t, x)
        k2 = f(t + dt / 2, x + dt / 2 * k1)
        k3 = f(t + dt / 2, x + dt / 2 * k2)
        k4 = f(t + dt, x + dt * k3)
        x, t = x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4), t + dt
    assert np.allclose(x_formula, x, atol=1e-9)
    # dropping the free response is visibly wrong
    assert not np.allclose(x_formula - expm(T * A) @ x0, x, atol=1e-3)
