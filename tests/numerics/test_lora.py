"""Numerical checks of the LoRA chapter and of the low-rank topic page."""

import numpy as np
import pytest


def _phi(u, v):
    """Normalised subspace similarity of orthonormal column sets u and v."""
    return np.sum((u.T @ v) ** 2) / min(u.shape[1], v.shape[1])


@pytest.mark.equations("lora-forward", "lora-scaled-forward", "lora-merge")
def test_merged_weight_gives_same_outputs_as_two_path_forward():
    rng = np.random.default_rng(1)
    d, k, r, alpha = 48, 40, 4, 8.0
    w0 = rng.standard_normal((d, k))
    b = rng.standard_normal((d, r))
    a = rng.standard_normal((r, k))
    x = rng.standard_normal((k, 17))
    two_path = w0 @ x + (alpha / r) * (b @ (a @ x))
    merged = (w0 + (alpha / r) * b @ a) @ x
    np.testing.assert_allclose(merged, two_path, rtol=1e-12, atol=1e-12)
    # Switching tasks: subtract BA, add B'A'.
    b2, a2 = rng.standard_normal((d, r)), rng.standard_normal((r, k))
    switched = (w0 + (alpha / r) * b @ a) - (alpha / r) * b @ a + (alpha / r) * b2 @ a2
    np.testing.assert_allclose(switched @ x, w0 @ x + (alpha / r) * b2 @ (a2 @ x), atol=1e-10)


@pytest.mark.equations("lora-gradients", "lora-first-step")
def test_zero_init_of_b_zero_update_and_gradients():
    rng = np.random.default_rng(2)
    d, k, r, s = 12, 9, 3, 2.0
    w0 = rng.standard_normal((d, k))
    a = rng.standard_normal((r, k))
    b = np.zeros((d, r))
    x = rng.standard_normal(k)
    target = rng.standard_normal(d)

    def loss(bb, aa):
        h = w0 @ x + s * bb @ (aa @ x)
        return 0.5 * np.sum((h - target) ** 2)

    # Delta W = 0 at initialisation.
    assert np.all(s * b @ a == 0.0)
    # Finite-difference gradients agree with the closed forms of lora-gradients.
    g = w0 @ x - target  # dL/dh at B = 0
    grad_b = s * np.outer(g, a @ x)
    grad_a = s * b.T @ np.outer(g, x)
    eps = 1e-6
    fd_b = np.zeros_like(b)
    for idx in np.ndindex(*b.shape):
        e = np.zeros_like(b)
        e[idx] = eps
        fd_b[idx] = (loss(b + e, a) - loss(b - e, a)) / (2 * eps)
    fd_a = np.zeros_like(a)
    for idx in np.ndindex(*a.shape):
        e = np.zeros_like(a)
        e[idx] = eps
        fd_a[idx] = (loss(b, a + e) - loss(b, a - e)) / (2 * eps)
    np.testing.assert_allclose(fd_b, grad_b, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(fd_a, 0.0, atol=1e-8)
    assert np.linalg.norm(grad_b) > 1e-3
    # First SGD step: Delta W_1 = -eta s^2 (dL/dW) A^T A.
    eta = 0.1
    b1 = b - eta * grad_b
    dw1 = s * b1 @ a
    np.testing.assert_allclose(dw1, -eta * s**2 * np.outer(g, x) @ a.T @ a, atol=1e-12)


def _adam_run(scale, lr_a, lr_b, steps, seed=3):
    """Adam (eps = 0, no weight decay) on a least-squares LoRA problem; returns the learned Delta W."""
    rng = np.random.default_rng(seed)
    d, k, r = 10, 8, 2
    x = rng.standard_normal((k, 32))
    y = rng.standard_normal((d, 2)) @ rng.standard_normal((2, k)) @ x
    a = rng.standard_normal((r, k)) / np.sqrt(k)
    b = np.zeros((d, r))
    state = {"a": [np.zeros_like(a), np.zeros_like(a)], "b": [np.zeros_like(b), np.zeros_like(b)]}
    b1, b2 = 0.9, 0.999
    for t in range(1, steps + 1):
        g = (scale * b @ a @ x - y) / x.shape[1]
        grads = {"b": scale * g @ (a @ x).T, "a": scale * b.T @ g @ x.T}
        for name, lr in (("a", lr_a), ("b", lr_b)):
            m, v = state[name]
            m[:] = b1 * m + (1 - b1) * grads[name]
            v[:] = b2 * v + (1 - b2) * grads[name] ** 2
            mhat, vhat = m / (1 - b1**t), v / (1 - b2**t)
            step = np.where(vhat > 0, mhat / np.sqrt(np.where(vhat > 0, vhat, 1.0)), 0.0)
            if name == "a":
                a = a - lr * step
            else:
                b = b - lr * step
    return scale * b @ a


@pytest.mark.equations("lora-scaled-forward")
def test_scaling_alpha_equals_scaling_learning_rate_of_b_under_adam():
    c, eta, s = 3.0, 0.01, 0.5
    dw_scaled = _adam_run(c * s, eta, eta, steps=60)
    dw_lr = _adam_run(s, eta, c * eta, steps=60)
    dw_plain = _adam_run(s, eta, eta, steps=60)
    np.testing.assert_allclose(dw_scaled, dw_lr, rtol=1e-8, atol=1e-10)
    assert np.linalg.norm(dw_scaled - dw_plain) > 1e-3  # the scale does matter


@pytest.mark.equations("low-rank-eckart-young", "lora-eckart-young", "low-rank-norms")
def test_truncated_svd_is_best_rank_r_approximation():
    rng = np.random.default_rng(4)
    m = rng.standard_normal((30, 20)) @ np.diag(np.linspace(3, 0.1, 20)) @ rng.standard_normal((20, 20))
    u, sig, vt = np.linalg.svd(m, full_matrices=False)
    for r in (1, 3, 7):
        mr = (u[:, :r] * sig[:r]) @ vt[:r]
        err_f = np.linalg.norm(m - mr)
        np.testing.assert_allclose(err_f, np.sqrt(np.sum(sig[r:] ** 2)), rtol=1e-10)
        np.testing.assert_allclose(np.linalg.norm(m - mr, 2), sig[r], rtol=1e-10)
        for _ in range(50):
            b = rng.standard_normal((30, r))
            a = rng.standard_normal((r, 20))
            assert np.linalg.norm(m - b @ a) >= err_f
            # Even with the best B for a random A, the truncated SVD wins.
            b_best = np.linalg.lstsq(a.T, m.T, rcond=None)[0].T
            assert np.linalg.norm(m - b_best @ a) >= err_f - 1e-10
            assert np.linalg.norm(m - b_best @ a, 2) >= sig[r] - 1e-10


@pytest.mark.equations("lora-subspace-similarity", "low-rank-subspace-similarity",
                       "low-rank-principal-angles", "low-rank-random-overlap")
def test_subspace_similarity_range_identity_and_random_baseline():
    rng = np.random.default_rng(5)
    n = 200
    q, _ = np.linalg.qr(rng.standard_normal((n, 64)))
    u8, u64 = q[:, :8], q[:, :64]
    assert np.isclose(_phi(u8, u8), 1.0)
    assert np.isclose(_phi(u8, u64), 1.0)  # contained subspace
    assert np.isclose(_phi(q[:, :8], q[:, 8:16]), 0.0, atol=1e-12)  # orthogonal
    # Invariance to a change of basis inside each subspace.
    rot, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    v64, _ = np.linalg.qr(rng.standard_normal((n, 64)))
    assert np.isclose(_phi(u8 @ rot, v64), _phi(u8, v64))
    # Sum of squared cosines equals tr(P_U P_V).
    cos = np.linalg.svd(u8.T @ v64, compute_uv=False)
    assert np.all((cos >= -1e-12) & (cos <= 1 + 1e-12))
    assert np.isclose(np.sum(cos**2), np.trace(u8 @ u8.T @ v64 @ v64.T))
    # Random baseline E phi = max(p, q) / n.
    vals = []
    for _ in range(300):
        v, _ = np.linalg.qr(rng.standard_normal((n, 16)))
        vals.append(_phi(u8, v))
    assert abs(np.mean(vals) - 16 / n) < 0.01
    # For a learned A: the right-singular vectors of a rank-r A span its row space.
    a8 = rng.standard_normal((8, n))
    _, _, vt = np.linalg.svd(a8, full_matrices=False)
    assert np.isclose(_phi(vt.T, np.linalg.qr(a8.T)[0]), 1.0)


@pytest.mark.equations("lora-param-count", "low-rank-params")
def test_gpt3_parameter_budgets():
    d_model, layers = 12288, 96

    def count(n_types, r):
        return 2 * (n_types * layers) * d_model * r

    assert round(count(2, 1) / 1e6, 1) == 4.7  # r_q = r_v = 1 (Table 4)
    assert round(count(2, 8) / 1e6, 1) == 37.7  # r_q = r_v = 8 (Table 4)
    assert count(1, 2) == count(2, 1)  # r_v = 2 gives the same 4.7M budget
    assert count(1, 8) == count(2, 4) == count(4, 2)  # Table 5 budget
    assert 18e6 < count(2, 4) < 19e6
    mb = count(2, 4) * 2 / 1e6  # FP16 checkpoint in MB
    assert 35 <= mb <= 38
    ratio = 175e9 / count(2, 4)
    assert 9000 < ratio < 10000  # "roughly 10,000x"
    # r(d + k) versus d k for one square matrix.
    assert d_model * d_model / (4 * (2 * d_model)) == d_model / 8


@pytest.mark.equations("lora-alpha-over-r")
def test_first_adam_step_output_change_is_rank_independent_with_alpha_over_r():
    rng = np.random.default_rng(6)
    d, k, eta, alpha = 16, 256, 1e-3, 8.0
    x = rng.standard_normal(k)
    g = rng.standard_normal(d)  # dL/dh at initialisation
    sizes, unscaled = {}, {}
    for r in (2, 8, 32, 128):
        a = rng.standard_normal((r, k)) / np.sqrt(k)
        for name, s in (("scaled", alpha / r), ("unscaled", alpha)):
            grad_b = s * np.outer(g, a @ x)
            b1 = -eta * grad_b / np.abs(grad_b)  # first Adam step, eps = 0
            dh = s * b1 @ (a @ x)
            # Closed form of the first line of lora-alpha-over-r.
            np.testing.assert_allclose(dh, -eta * s * np.sign(g) * np.sum(np.abs(a @ x)), rtol=1e-12)
            (sizes if name == "scaled" else unscaled)[r] = np.mean(np.abs(dh))
    expected = eta * alpha * np.sqrt(2 / np.pi) * np.linalg.norm(x) / np.sqrt(k)  # E|(Ax)_1|
    for r, v in sizes.items():
        assert abs(v / expected - 1) < (0.6 if r == 2 else 0.25)
    assert unscaled[128] / unscaled[2] > 20  # without 1/r the change grows with r
