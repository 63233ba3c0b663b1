"""Numerical checks of the Mamba chapter (source/papers/mamba.md).

ZOH for a diagonal A against a fine integration of the ODE with piecewise-constant input; the
time-invariant recurrence against the convolution with kernel K; the selective (time-varying) SSM
computed by a parallel associative scan against the sequential recurrence and the unrolled matrix
form; Theorem 1 (the gating reduction); the limits of the discretised pair in Delta.
"""

import numpy as np
import pytest


def softplus(z):
    return np.logaddexp(0.0, z)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def zoh_diag(delta, a, b):
    """ZOH for diagonal A (entries a) and input vector b; delta broadcasts against a."""
    abar = np.exp(delta * a)
    bbar = (abar - 1.0) / (delta * a) * (delta * b)
    return abar, bbar


@pytest.mark.equations("mamba-zoh", "mamba-zoh-derivation", "mamba-continuous")
def test_zoh_matches_fine_integration_of_the_ode():
    rng = np.random.default_rng(0)
    N, L = 6, 10
    a = -(np.arange(N) + 1.0)  # S4D-Real
    b = rng.standard_normal(N)
    c = rng.standard_normal(N)
    deltas = rng.uniform(0.01, 0.5, L)  # a different step at every token, as with selection
    x = rng.standard_normal(L)
    h_zoh = np.zeros(N)
    h_ode = np.zeros(N)
    y_zoh, y_ode = [], []
    for t in range(L):
        abar, bbar = zoh_diag(deltas[t], a, b)
        h_zoh = abar * h_zoh + bbar * x[t]
        sub = 500
        dt = deltas[t] / sub
        for _ in range(sub):  # classical RK4 on h' = a h + b x_t, input held constant
            f = lambda h: a * h + b * x[t]  # noqa: E731
            k1 = f(h_ode)
            k2 = f(h_ode + dt / 2 * k1)
            k3 = f(h_ode + dt / 2 * k2)
            k4 = f(h_ode + dt * k3)
            h_ode = h_ode + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        y_zoh.append(c @ h_zoh)
        y_ode.append(c @ h_ode)
    assert np.allclose(h_zoh, h_ode, rtol=1e-10, atol=1e-12)
    assert np.allclose(y_zoh, y_ode, rtol=1e-10, atol=1e-12)


@pytest.mark.equations("mamba-recurrence", "mamba-convolution")
def test_lti_recurrence_equals_convolution():
    rng = np.random.default_rng(1)
    N, L, delta = 8, 64, 0.1
    a = -(np.arange(N) + 1.0)
    b = rng.standard_normal(N)
    c = rng.standard_normal(N)
    x = rng.standard_normal(L)
    abar, bbar = zoh_diag(delta, a, b)
    h, y_rec = np.zeros(N), np.empty(L)
    for t in range(L):
        h = abar * h + bbar * x[t]
        y_rec[t] = c @ h
    K = np.array([c @ (abar**k * bbar) for k in range(L)])
    y_conv = np.convolve(x, K)[:L]
    assert np.allclose(y_rec, y_conv, atol=1e-12)


def selective_params(rng, x, N):
    """Algorithm 2 for one sequence: B_t, C_t = Linear_N(x_t), Delta_t = softplus(p + Broadcast_D(Linear_1(x_t)))."""
    L, D = x.shape
    W_B = rng.standard_normal((D, N)) / np.sqrt(D)
    W_C = rng.standard_normal((D, N)) / np.sqrt(D)
    w_delta = rng.standard_normal(D) / np.sqrt(D)
    p = np.log(np.expm1(rng.uniform(0.001, 0.1, D)))  # inverse softplus of Uniform([0.001, 0.1])
    B = x @ W_B  # (L, N)
    C = x @ W_C  # (L, N)
    delta = softplus(p[None, :] + (x @ w_delta)[:, None])  # (L, D)
    A = -np.tile(np.arange(1.0, N + 1), (D, 1))  # (D, N), S4D-Real
    abar = np.exp(delta[:, :, None] * A[None])  # (L, D, N)
    bbar = (abar - 1.0) / A[None] * B[:, None, :]  # (L, D, N)
    return abar, bbar, C, delta, p


def sequential_scan(abar, bbar, x, C):
    L, D, N = abar.shape
    h = np.zeros((D, N))
    y = np.empty((L, D))
    for t in range(L):
        h = abar[t] * h + bbar[t] * x[t][:, None]
        y[t] = h @ C[t]
    return y


def parallel_scan(a, b):
    """Inclusive Hillis-Steele scan over axis 0 with (a1,b1).(a2,b2) = (a1 a2, a2 b1 + b2), log-depth."""
    a, b = a.copy(), b.copy()
    L = a.shape[0]
    shift = 1
    while shift < L:
        a_prev = np.concatenate([np.ones_like(a[:shift]), a[:-shift]])
        b_prev = np.concatenate([np.zeros_like(b[:shift]), b[:-shift]])
        a, b = a_prev * a, a * b_prev + b  # (prev) . (current)
        shift *= 2
    return a, b


@pytest.mark.equations("mamba-selection", "mamba-selective-ssm", "mamba-scan", "mamba-matrix-form",
                       "state-space-models-scan")
def test_selective_scan_matches_sequential_recurrence_and_matrix_form():
    rng = np.random.default_rng(2)
    L, D, N = 50, 4, 6
    x = rng.standard_normal((L, D))
    abar, bbar, C, delta, _ = selective_params(rng, x, N)
    y_seq = sequential_scan(abar, bbar, x, C)
    _, h_all = parallel_scan(abar, bbar * x[:, :, None])  # (L, D, N) states
    y_par = np.einsum("ldn,ln->ld", h_all, C)
    assert np.allclose(y_par, y_seq, atol=1e-12)
    # unrolled lower-triangular mixing matrix for channel 0
    d = 0
    M = np.zeros((L, L))
    for t in range(L):
        for s in range(t + 1):
            decay = np.prod(abar[s + 1 : t + 1, d, :], axis=0)
            M[t, s] = C[t] @ (decay * bbar[s, d, :])
    assert np.allclose(M @ x[:, d], y_seq[:, d], atol=1e-12)
    # selection breaks time invariance: M is not Toeplitz
    assert abs(M[5, 4] - M[6, 5]) > 1e-6


@pytest.mark.equations("mamba-gating", "mamba-gating-proof")
def test_theorem_1_gating_reduction():
    rng = np.random.default_rng(3)
    L = 200
    x = rng.standard_normal(L)
    w, bias = 1.7, -0.4  # Linear(x) = w x + bias (the Parameter folded into the bias)
    z = w * x + bias
    delta = softplus(z)
    abar, bbar = zoh_diag(delta, -1.0, 1.0)  # N = 1, A = -1, B = 1
    g = sigmoid(z)
    assert np.allclose(abar, 1.0 - g, atol=1e-14)
    assert np.allclose(bbar, g, atol=1e-14)
    h_ssm, h_gru = 0.0, 0.0
    for t in range(L):
        h_ssm = abar[t] * h_ssm + bbar[t] * x[t]
        h_gru = (1.0 - g[t]) * h_gru + g[t] * x[t]
        assert abs(h_ssm - h_gru) < 1e-12


@pytest.mark.equations("mamba-delta-limits", "mamba-init")
def test_delta_limits_and_initial_step_range():
    a = -(np.arange(4) + 1.0)
    b = np.array([0.5, -1.0, 2.0, 1.0])
    abar, bbar = zoh_diag(1e-7, a, b)
    assert np.allclose(abar, 1.0, atol=1e-6) and np.allclose(bbar, 0.0, atol=1e-6)
    abar, bbar = zoh_diag(60.0, a, b)
    assert np.allclose(abar, 0.0, atol=1e-20) and np.allclose(bbar, -b / a, atol=1e-12)
    # the inverse-softplus bias reproduces initial steps in [0.001, 0.1]
    rng = np.random.default_rng(4)
    _, _, _, delta, p = selective_params(rng, np.zeros((3, 16)), 4)
    assert np.all((delta >= 0.001) & (delta <= 0.1))
    assert np.allclose(softplus(p), delta[0])
