"""Numerical checks of the Transformer chapter (source/papers/transformer.md)."""

import numpy as np
import pytest


def softmax_rows(S):
    S = S - S.max(axis=-1, keepdims=True)
    E = np.exp(S)
    return E / E.sum(axis=-1, keepdims=True)


def attention(Q, K, V, mask=None):
    S = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = S + mask
    return softmax_rows(S) @ V


def sinusoidal(pos, d_model):
    pos = np.asarray(pos, dtype=float)[..., None]
    omega = 10000.0 ** (-np.arange(0, d_model, 2) / d_model)
    pe = np.zeros(pos.shape[:-1] + (d_model,))
    pe[..., 0::2] = np.sin(pos * omega)
    pe[..., 1::2] = np.cos(pos * omega)
    return pe, omega


@pytest.mark.equations("transformer-dot-variance", "transformer-scaled-variance")
def test_dot_product_variance_grows_like_dk():
    rng = np.random.default_rng(1)
    n = 20000
    for d_k in (16, 64, 256):
        # independent, mean 0, variance 1, deliberately non-Gaussian (uniform and Rademacher)
        q = rng.uniform(-np.sqrt(3), np.sqrt(3), size=(n, d_k))
        k = rng.choice([-1.0, 1.0], size=(n, d_k))
        dots = np.einsum("ij,ij->i", q, k)
        # standard error of a sample variance is about var * sqrt(2/n) for near-Gaussian sums
        assert abs(dots.mean()) < 5 * np.sqrt(d_k / n)
        assert abs(dots.var() / d_k - 1.0) < 0.05
        assert abs((dots / np.sqrt(d_k)).var() - 1.0) < 0.05


@pytest.mark.equations("transformer-softmax-saturation", "softmax-jacobian")
def test_softmax_jacobian_trace_and_saturation():
    rng = np.random.default_rng(2)
    s = rng.standard_normal(10)
    p = softmax_rows(s)
    # finite-difference Jacobian, compared with diag(p) - p p^T and its trace 1 - |p|^2
    eps = 1e-6
    J = np.stack([(softmax_rows(s + eps * e) - softmax_rows(s - eps * e)) / (2 * eps) for e in np.eye(10)], axis=1)
    assert np.allclose(J, np.diag(p) - np.outer(p, p), atol=1e-8)
    assert np.isclose(np.trace(J), 1.0 - p @ p, atol=1e-8)
    # unscaled scores with d_k = 512 saturate: the trace is far smaller than with scaling
    d_k, keys = 512, 32
    Q = rng.standard_normal((200, d_k))
    K = rng.standard_normal((keys, d_k))
    tr_raw = np.mean(1 - (softmax_rows(Q @ K.T) ** 2).sum(axis=1))
    tr_scaled = np.mean(1 - (softmax_rows(Q @ K.T / np.sqrt(d_k)) ** 2).sum(axis=1))
    assert tr_raw < 0.25 < 0.8 < tr_scaled


@pytest.mark.equations("transformer-mask", "transformer-attention", "attention-mask")
def test_causal_mask_blocks_future_positions():
    rng = np.random.default_rng(3)
    n, d = 7, 8
    Q, K, V = (rng.standard_normal((n, d)) for _ in range(3))
    mask = np.triu(np.full((n, n), -np.inf), k=1)
    out = attention(Q, K, V, mask)
    W = softmax_rows(Q @ K.T / np.sqrt(d) + mask)
    assert np.all(W[np.triu_indices(n, k=1)] == 0.0)
    assert np.allclose(W.sum(axis=1), 1.0)
    # each row equals unmasked attention over the prefix only
    for i in range(n):
        assert np.allclose(out[i], attention(Q[i : i + 1], K[: i + 1], V[: i + 1])[0])
    # changing future keys and values leaves earlier outputs unchanged
    K2, V2 = K.copy(), V.copy()
    K2[4:] += 10 * rng.standard_normal((n - 4, d))
    V2[4:] += 10 * rng.standard_normal((n - 4, d))
    out2 = attention(Q, K2, V2, mask)
    assert np.allclose(out[:4], out2[:4])
    assert not np.allclose(out[4:], out2[4:])


@pytest.mark.equations("transformer-multihead", "transformer-multihead-params")
def test_multihead_shapes_and_parameter_count():
    rng = np.random.default_rng(4)
    d_model, n = 64, 5
    X = rng.standard_normal((n, d_model))
    counts = {}
    for h in (1, 2, 4, 8):
        d_k = d_v = d_model // h
        WQ = rng.standard_normal((h, d_model, d_k))
        WK = rng.standard_normal((h, d_model, d_k))
        WV = rng.standard_normal((h, d_model, d_v))
        WO = rng.standard_normal((h * d_v, d_model))
        heads = [attention(X @ WQ[i], X @ WK[i], X @ WV[i]) for i in range(h)]
        out = np.concatenate(heads, axis=1) @ WO
        assert out.shape == (n, d_model)
        counts[h] = WQ.size + WK.size + WV.size + WO.size
        # the h head projections side by side are one d_model x d_model matrix
        WQ_all = np.concatenate(list(WQ), axis=1)
        assert np.allclose(np.concatenate([X @ WQ[i] for i in range(h)], axis=1), X @ WQ_all)
    assert set(counts.values()) == {4 * d_model**2}
    # the base model: h = 8 heads of width 64 from d_model = 512
    assert 512 // 8 == 64


@pytest.mark.equations("transformer-positional", "transformer-pe-rotation", "positional-encodings-rotation", "positional-encodings-dot")
def test_sinusoidal_shift_is_a_fixed_rotation():
    d_model = 512
    positions = np.arange(0, 300)
    pe, omega = sinusoidal(positions, d_model)
    assert np.isclose(pe[0, 1], 1.0) and np.isclose(pe[0, 0], 0.0)
    for k in (1, 7, 50):
        c, s = np.cos(omega * k), np.sin(omega * k)
        M = np.zeros((d_model, d_model))
        for i in range(d_model // 2):
            M[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = [[c[i], s[i]], [-s[i], c[i]]]
        assert np.allclose(M @ M.T, np.eye(d_model))
        shifted, _ = sinusoidal(positions + k, d_model)
        assert np.allclose(pe @ M.T, shifted, atol=1e-9)
        # the map can also be recovered by least squares from (PE_pos, PE_pos+k) pairs alone
        M_fit, *_ = np.linalg.lstsq(pe[:, :16], shifted[:, :16], rcond=None)
        assert np.allclose(M_fit.T, M[:16, :16], atol=1e-8)
        dots = np.einsum("ij,ij->i", pe, shifted)
        assert np.allclose(dots, np.cos(omega * k).sum())


@pytest.mark.equations("transformer-lrate", "transformer-lrate-peak")
def test_learning_rate_schedule():
    d_model, warmup = 512, 4000
    step = np.arange(1, 100001, dtype=float)
    lrate = d_model**-0.5 * np.minimum(step**-0.5, step * warmup**-1.5)
    assert np.argmax(lrate) + 1 == warmup
    assert np.isclose(lrate.max(), 6.99e-4, rtol=1e-3)
    assert np.allclose(np.diff(lrate[:warmup]), lrate[0])  # linear warm-up from zero
    tail = step[warmup:]
    assert np.allclose(lrate[warmup:] * np.sqrt(tail), d_model**-0.5)  # inverse square root decay
    assert np.isclose(lrate[-1], 1.40e-4, rtol=1e-2)
    big = 1024**-0.5 * warmup**-0.5
    assert np.isclose(big, 4.94e-4, rtol=1e-3)


@pytest.mark.equations("transformer-flops")
def test_training_cost_reproduces_table2():
    p100 = 9.5e12
    base = 12 * 3600 * 8 * p100
    big = 3.5 * 86400 * 8 * p100
    assert round(base / 1e18, 1) == 3.3
    assert round(big / 1e19, 1) == 2.3
    # step counts times step times are consistent with the reported durations
    assert abs(100_000 * 0.4 / 3600 - 12) < 1.0
    assert abs(300_000 * 1.0 / 86400 - 3.5) < 0.1


@pytest.mark.equations("transformer-ffn", "transformer-multihead-params")
def test_parameter_count_close_to_table3():
    def count(d, f, vocab=37000, n_layers=6):
        attn = 4 * d * d + 4 * d
        ffn = 2 * d * f + f + d
        ln = 2 * d
        enc, dec = attn + ffn + 2 * ln, 2 * attn + ffn + 3 * ln
        return n_layers * (enc + dec) + vocab * d

    assert abs(count(512, 2048) / 65e6 - 1) < 0.05
    assert abs(count(1024, 4096) / 213e6 - 1) < 0.02
    # no single vocabulary size explains both entries: the V that gives 65M for base gives ~218M for big
    v_base = (65e6 - count(512, 2048, vocab=0)) / 512
    assert 40_500 < v_base < 41_000
    assert 217.5e6 < count(1024, 4096, vocab=v_base) < 218.5e6
    # the FFNs hold four sevenths of the weight-matrix entries outside the embeddings (d_ff = 4 d)
    d = 512
    ffn, attn = 12 * 2 * d * 4 * d, 6 * 4 * d * d + 6 * 8 * d * d
    assert ffn * 7 == (ffn + attn) * 4


@pytest.mark.equations("transformer-label-smoothing")
def test_label_smoothing_decomposition_and_minimizer():
    rng = np.random.default_rng(5)
    K, y, eps = 11, 3, 0.1
    q = np.full(K, eps / K)
    q[y] += 1 - eps
    assert np.isclose(q.sum(), 1.0)
    logits = rng.standard_normal(K)
    p = softmax_rows(logits)
    H = -(q * np.log(p)).sum()
    assert np.isclose(H, (1 - eps) * -np.log(p[y]) + eps * np.mean(-np.log(p)))
    # the cross-entropy over the simplex is minimized at p = q'
    for _ in range(50):
        r = softmax_rows(np.log(q) + 0.3 * rng.standard_normal(K))
        assert -(q * np.log(r)).sum() >= -(q * np.log(q)).sum() - 1e-12
